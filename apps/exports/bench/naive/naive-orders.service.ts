import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  EventDefinition,
  ExportAdjusted,
  ExportRecorded,
  fromKafkaHeaders,
  KafkaHeaders,
  MARKETPLACES,
  PARTNER_ORDER_EVENTS,
  parsePayload,
  PartnerOrderEventV1,
  type Marketplace,
  type MsmeCategory,
} from '@niryat/contracts';
import { indianCalendarDate } from '@niryat/india';
import { OutboxEvent, outboxEvent } from '@niryat/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  acceptEvent,
  enrolledProgrammesOn,
  ExportsEnv,
  HistoryEvent,
  HistoryLine,
  kindOf,
  ratesOn,
  shipmentDateOf,
  toHistoryEvent,
  Valuation,
  valueLines,
} from '../service';
import { ExportAdjustment, ExportRecord, FxRateEntry, MarketplaceAccount, Order, OrderEvent, ProcessedEvent, SellerDirectoryEntry } from './entities';
import { NaiveExportPublisher } from './naive-export-publisher';

/** The naive consumer's name in the processed-events ledger (the inbox table's consumer_group). */
export const NAIVE_GROUP = 'bench.naive-orders';

/** The service's default EXPORTS_MAX_SHIPMENT_INR, in paise: a shipment valued above it is refused. */
const MAX_SHIPMENT_INR_MINOR = new ExportsEnv().EXPORTS_MAX_SHIPMENT_INR * 100;

export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The way the issue calls naive, written as one would with NestJS and TypeORM: one event per call,
 * one transaction per event, repository `findOne`/`find` to read the dedup ledger, the account link,
 * the order and its history (and, when there is something to record, the seller, the rates, the
 * export and its earlier adjustments), and a repository `save()` per entity (processed event, order
 * event, order, export, adjustment). The decisions are the service's own pure functions
 * (acceptEvent, toHistoryEvent, ratesOn, valueLines over @niryat/money, enrolledProgrammesOn), so
 * the result is the same exports and adjustments, valued and attributed alike.
 *
 * With a publisher (the naive chain of apps/bench), each ExportRecorded / ExportAdjusted the
 * service would put in its outbox is emitted once the event's transaction has committed.
 *
 * Left out, each making this variant do LESS than the service (the comparison errs in its favour):
 * no outbox (events are emitted after the commit, lost if the process dies in between), no stored
 * offsets, rejections are counted instead of dead-lettered and recorded on the order, events of
 * unlinked accounts are counted instead of parked.
 */
@Injectable()
export class NaiveOrdersService {
  readonly stats = { received: 0, applied: 0, duplicates: 0, rejected: 0, unlinked: 0, exports: 0, adjustments: 0, published: 0 };
  private readonly logger = new Logger('NaiveOrders');

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly publisher?: NaiveExportPublisher,
  ) {}

  async handle(value: unknown, headers: KafkaHeaders, position: RecordPosition): Promise<void> {
    this.stats.received += 1;
    const header = fromKafkaHeaders(headers);
    if (!header.ok) return this.reject(position, header.reason);
    const { attributes } = header;
    const definition = PARTNER_ORDER_EVENTS.find((d) => d.type === attributes.type);
    if (!definition) return this.reject(position, `not a partner order event: ${attributes.type}`);
    const parsed = parsePayload(definition.payload, value);
    if (!parsed.ok) return this.reject(position, `invalid ${attributes.type}: ${parsed.errors.map((e) => e.field).join(', ')}`);
    const payload = parsed.payload as PartnerOrderEventV1 & { lines?: HistoryLine[] };
    const partner = attributes.source;
    if (!(MARKETPLACES as readonly string[]).includes(partner)) return this.reject(position, `unknown partner ${partner}`);
    if (attributes.id !== payload.eventId) return this.reject(position, `ce_id ${attributes.id} is not eventId ${payload.eventId}`);

    const recorded = await this.dataSource.transaction((manager) => this.apply(manager, partner as Marketplace, definition, payload, position));
    if (this.publisher && recorded.length > 0) {
      await this.publisher.publish(recorded);
      this.stats.published += recorded.length;
    }
  }

  /** The event's effect in the transaction; the export events it recorded, to publish after the commit. */
  private async apply(
    manager: EntityManager,
    partner: Marketplace,
    definition: EventDefinition,
    payload: PartnerOrderEventV1 & { lines?: HistoryLine[] },
    position: RecordPosition,
  ): Promise<OutboxEvent[]> {
    const processed = manager.getRepository(ProcessedEvent);
    const seen = await processed.findOne({ where: { consumerGroup: NAIVE_GROUP, eventSource: partner, eventId: payload.eventId } });
    if (seen) {
      this.stats.duplicates += 1;
      return [];
    }
    await processed.save(processed.create({ consumerGroup: NAIVE_GROUP, eventSource: partner, eventId: payload.eventId, ...position, appliedAt: new Date() }));

    const link = await manager.getRepository(MarketplaceAccount).findOne({ where: { marketplace: partner, accountId: payload.sellerAccountId } });
    if (!link) {
      this.stats.unlinked += 1; // the service parks these; the bench links every account it uses
      return [];
    }

    const orders = manager.getRepository(Order);
    const orderEvents = manager.getRepository(OrderEvent);
    const stored = await orders.findOne({ where: { partner, orderId: payload.orderId }, lock: { mode: 'pessimistic_write' } });
    const history = await orderEvents.find({ where: { partner, orderId: payload.orderId }, order: { sequence: 'ASC' } });
    const next = toHistoryEvent(kindOf(definition), payload);
    const decision = acceptEvent(
      history.map((h) => h.event),
      next,
    );
    if (decision.ok === 'duplicate') return [];
    if (!decision.ok) return this.refused(position, decision.reason);

    const now = new Date();
    const arriving = orderEvents.create({
      partner,
      orderId: payload.orderId,
      sequence: next.sequence,
      eventId: next.eventId,
      kind: next.kind,
      occurredAt: new Date(next.occurredAt),
      event: next,
      applied: false,
      receivedAt: now,
    });
    const events = [...history, arriving];
    const changedEvents = new Set<OrderEvent>([arriving]);
    const sellerId = stored?.sellerId ?? link.sellerId;
    const { shipment, returns } = decision.view;
    const pendingReturns = returns.filter((r) => events.find((e) => e.eventId === r.event.eventId)?.applied === false);

    let record: ExportRecord | undefined;
    const adjustments: ExportAdjustment[] = [];
    const toPublish: OutboxEvent[] = [];
    // Something to record: the shipment's export (the order has none yet) or returns not applied yet.
    if (shipment && (!stored?.exportId || pendingReturns.length > 0)) {
      const seller = await manager.getRepository(SellerDirectoryEntry).findOne({ where: { sellerId } });
      let valuation: Valuation | undefined;
      if (next.kind === 'shipped') {
        const checked = await this.valueShipment(manager, next, seller);
        if ('refusal' in checked) return this.refused(position, checked.refusal);
        valuation = checked.valuation;
      }
      if (seller) {
        const shipmentDate = shipmentDateOf(shipment);
        const facts = {
          partner,
          orderId: payload.orderId,
          sellerId,
          stateCode: seller.stateCode,
          district: seller.district,
          classification: seller.classification as MsmeCategory,
          // The programmes the seller was enrolled in on the day the goods left, whenever the event arrives.
          programmes: enrolledProgrammesOn(seller.enrolments, shipmentDate),
          destinationCountry: shipment.destinationCountry,
          shipmentDate,
          ...(shipment.shippingBillNumber ? { shippingBillNumber: shipment.shippingBillNumber } : {}),
          currency: shipment.currency,
        };
        let exported: ExportRecord | null = null;
        if (!stored?.exportId && valuation) {
          exported = record = this.exportOf(facts, valuation, now);
          toPublish.push(outboxEvent(ExportRecorded, { exportId: record.exportId, ...facts, ...valuation, recordedAt: now.toISOString() }, { occurredAt: new Date(shipment.occurredAt) }));
        } else if (stored?.exportId) {
          exported = await manager.getRepository(ExportRecord).findOne({ where: { exportId: stored.exportId } });
        }
        if (exported) {
          const shipped = events.find((e) => e.eventId === shipment.eventId);
          if (shipped && !shipped.applied) {
            shipped.applied = true;
            changedEvents.add(shipped);
          }
          const earlier = record ? [] : await manager.getRepository(ExportAdjustment).find({ where: { exportId: exported.exportId } });
          for (const ret of pendingReturns) {
            const returned = events.find((e) => e.eventId === ret.event.eventId) as OrderEvent;
            returned.applied = true;
            changedEvents.add(returned);
            const adjustment = this.adjustmentOf(exported, shipment, ret, [...earlier, ...adjustments], now);
            if (!adjustment) continue;
            adjustments.push(adjustment);
            toPublish.push(
              outboxEvent(
                ExportAdjusted,
                {
                  exportId: exported.exportId,
                  ...facts,
                  // A correction is attributed where the export was: same state, district, programmes and day.
                  stateCode: exported.stateCode,
                  district: exported.district,
                  programmes: exported.programmes,
                  shipmentDate: exported.shipmentDate,
                  lines: adjustment.lines,
                  valueMinor: adjustment.valueMinor,
                  valueUsdMinor: adjustment.valueUsdMinor,
                  valueInrMinor: adjustment.valueInrMinor,
                  fxRate: exported.fxRate,
                  usdRate: exported.usdRate,
                  adjustmentId: adjustment.adjustmentId,
                  reason: adjustment.reason,
                  adjustmentDate: adjustment.adjustmentDate,
                  recordedAt: now.toISOString(),
                },
                { occurredAt: new Date(ret.event.occurredAt) },
              ),
            );
          }
        }
      }
    }

    for (const event of changedEvents) await orderEvents.save(event);
    const order =
      stored ??
      orders.create({
        partner,
        orderId: payload.orderId,
        sellerId: link.sellerId,
        sellerAccountId: payload.sellerAccountId,
        currency: payload.currency,
        destinationCountry: payload.destinationCountry,
        exportId: null,
      });
    order.status = decision.view.status;
    order.updatedAt = now;
    if (record) {
      await manager.getRepository(ExportRecord).save(record);
      order.exportId = record.exportId;
      this.stats.exports += 1;
    }
    for (const adjustment of adjustments) await manager.getRepository(ExportAdjustment).save(adjustment);
    this.stats.adjustments += adjustments.length;
    await orders.save(order);
    this.stats.applied += 1;
    return this.publisher ? toPublish : [];
  }

  /**
   * The shipment's value, or why the service would refuse it before it joins the history: no
   * reference rate, a seller exports does not know, an amount beyond exact JSON numbers, or a value
   * above the service's default EXPORTS_MAX_SHIPMENT_INR.
   */
  private async valueShipment(manager: EntityManager, shipment: HistoryEvent, seller: SellerDirectoryEntry | null): Promise<{ valuation: Valuation } | { refusal: string }> {
    const date = shipmentDateOf(shipment);
    const rates = await manager.getRepository(FxRateEntry).find({ where: { currency: In([...new Set(['USD', shipment.currency])]) } });
    const found = ratesOn(
      rates.map((r) => ({ currency: r.currency, effectiveFrom: r.effectiveFrom, inrPerUnit: r.inrPerUnit })),
      shipment.currency,
      date,
    );
    if ('missing' in found) return { refusal: `no ${found.missing} rate on ${date}` };
    if (!seller) return { refusal: 'the seller of this account is not in the directory' };
    let valuation: Valuation;
    try {
      valuation = valueLines(shipment.lines ?? [], shipment.lines ?? [], shipment.currency, found);
    } catch (error) {
      return { refusal: `the shipment cannot be valued: ${(error as Error).message}` };
    }
    if (valuation.valueInrMinor > MAX_SHIPMENT_INR_MINOR) return { refusal: `the shipment is valued at ${valuation.valueInrMinor} paise, above the limit` };
    return { valuation };
  }

  private exportOf(facts: { partner: string; orderId: string; sellerId: string; stateCode: string; district: string; programmes: string[]; destinationCountry: string; shipmentDate: string; shippingBillNumber?: string; currency: string }, valuation: Valuation, now: Date): ExportRecord {
    return this.dataSource.getRepository(ExportRecord).create({
      exportId: randomUUID(),
      partner: facts.partner,
      orderId: facts.orderId,
      sellerId: facts.sellerId,
      stateCode: facts.stateCode,
      district: facts.district,
      programmes: facts.programmes,
      destinationCountry: facts.destinationCountry,
      shipmentDate: facts.shipmentDate,
      shippingBill: facts.shippingBillNumber ?? null,
      currency: facts.currency,
      valueMinor: valuation.valueMinor,
      valueUsdMinor: valuation.valueUsdMinor,
      valueInrMinor: valuation.valueInrMinor,
      fxRate: valuation.fxRate,
      usdRate: valuation.usdRate,
      lines: valuation.lines,
      recordedAt: now,
    });
  }

  /**
   * A return's correction of the export, as the service values it: never more of a line than
   * shipped less what earlier adjustments reversed (a return sequenced before an already-applied
   * return-to-origin finds nothing left), valued at the export's rates and negated. None when
   * nothing is left to reverse.
   */
  private adjustmentOf(
    exported: ExportRecord,
    shipment: HistoryEvent,
    ret: { event: HistoryEvent; lines: { lineId: string; quantity: number }[] },
    earlier: readonly ExportAdjustment[],
    now: Date,
  ): ExportAdjustment | undefined {
    const shippedQty = new Map((shipment.lines ?? []).map((l) => [l.lineId, l.quantity]));
    const reversed = new Map<string, number>();
    // Adjustment lines carry negative quantities.
    for (const line of earlier.flatMap((a) => a.lines)) reversed.set(line.lineId, (reversed.get(line.lineId) ?? 0) - line.quantity);
    const lines = ret.lines
      .map((l) => ({ lineId: l.lineId, quantity: Math.min(l.quantity, (shippedQty.get(l.lineId) ?? 0) - (reversed.get(l.lineId) ?? 0)) }))
      .filter((l) => l.quantity > 0);
    if (lines.length === 0) return undefined;
    const valuation = valueLines(lines, shipment.lines ?? [], shipment.currency, { fxRate: exported.fxRate, usdRate: exported.usdRate }, -1);
    return this.dataSource.getRepository(ExportAdjustment).create({
      adjustmentId: randomUUID(),
      exportId: exported.exportId,
      reason: ret.event.kind === 'returned-to-origin' ? 'return-to-origin' : 'return',
      sourceEventId: ret.event.eventId,
      adjustmentDate: indianCalendarDate(new Date(ret.event.occurredAt)),
      valueMinor: valuation.valueMinor,
      valueUsdMinor: valuation.valueUsdMinor,
      valueInrMinor: valuation.valueInrMinor,
      lines: valuation.lines,
      recordedAt: now,
    });
  }

  private reject(position: RecordPosition, reason: string): void {
    this.stats.rejected += 1;
    if (this.stats.rejected <= 10) this.logger.warn(`refused ${position.topic}[${position.partition}]@${position.offset}: ${reason}`);
  }

  /** Refused inside the transaction: the event stays processed (the inbox row commits), nothing else is written. */
  private refused(position: RecordPosition, reason: string): OutboxEvent[] {
    this.reject(position, reason);
    return [];
  }
}
