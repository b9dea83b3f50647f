import { Injectable, Logger } from '@nestjs/common';
import { fromKafkaHeaders, KafkaHeaders, MARKETPLACES, PARTNER_ORDER_EVENTS, parsePayload, PartnerOrderEventV1 } from '@niryat/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { acceptEvent, HistoryLine, kindOf, ratesOn, shipmentDateOf, toHistoryEvent, valueLines } from '../service';
import { ExportRecord, FxRateEntry, MarketplaceAccount, Order, OrderEvent, ProcessedEvent, SellerDirectoryEntry } from './entities';

/** The naive consumer's name in the processed-events ledger (the inbox table's consumer_group). */
export const NAIVE_GROUP = 'bench.naive-orders';

export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The way the issue calls naive, written as one would with NestJS and TypeORM: one event per call,
 * one transaction per event, repository `findOne`/`find` to read the dedup ledger, the account link,
 * the order and its history, and a repository `save()` per entity (processed event, order event,
 * order, export). The decisions are the service's own pure functions (acceptEvent, toHistoryEvent,
 * ratesOn, valueLines over @niryat/money), so the result is the same exports, valued alike.
 *
 * Left out, each making this variant do LESS than the service (the comparison errs in its favour):
 * no outbox row and no ExportRecorded event, no stored offsets, rejections are counted instead of
 * dead-lettered, events of unlinked accounts are counted instead of parked, returns are not valued
 * (the bench workload has only placed and shipped events).
 */
@Injectable()
export class NaiveOrdersService {
  readonly stats = { received: 0, applied: 0, duplicates: 0, rejected: 0, unlinked: 0, exports: 0 };
  private readonly logger = new Logger('NaiveOrders');

  constructor(private readonly dataSource: DataSource) {}

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

    await this.dataSource.transaction(async (manager) => {
      const processed = manager.getRepository(ProcessedEvent);
      const seen = await processed.findOne({ where: { consumerGroup: NAIVE_GROUP, eventSource: partner, eventId: attributes.id } });
      if (seen) {
        this.stats.duplicates += 1;
        return;
      }
      await processed.save(
        processed.create({ consumerGroup: NAIVE_GROUP, eventSource: partner, eventId: attributes.id, ...position, appliedAt: new Date() }),
      );

      const link = await manager.getRepository(MarketplaceAccount).findOne({ where: { marketplace: partner, accountId: payload.sellerAccountId } });
      if (!link) {
        this.stats.unlinked += 1; // the service parks these; the bench links every account it uses
        return;
      }

      const orders = manager.getRepository(Order);
      const orderEvents = manager.getRepository(OrderEvent);
      const exportRecords = manager.getRepository(ExportRecord);
      const stored = await orders.findOne({ where: { partner, orderId: payload.orderId }, lock: { mode: 'pessimistic_write' } });
      const history = await orderEvents.find({ where: { partner, orderId: payload.orderId }, order: { sequence: 'ASC' } });
      const next = toHistoryEvent(kindOf(definition), payload);
      const decision = acceptEvent(
        history.map((h) => h.event),
        next,
      );
      if (decision.ok === 'duplicate') return;
      if (!decision.ok) return this.reject(position, decision.reason);

      let record: ExportRecord | undefined;
      const shipment = decision.view.shipment;
      if (shipment && !stored?.exportId) {
        const shipmentDate = shipmentDateOf(shipment);
        const rates = await manager.getRepository(FxRateEntry).find({ where: { currency: In([...new Set(['USD', shipment.currency])]) } });
        const found = ratesOn(
          rates.map((r) => ({ currency: r.currency, effectiveFrom: r.effectiveFrom, inrPerUnit: r.inrPerUnit })),
          shipment.currency,
          shipmentDate,
        );
        if ('missing' in found) return this.reject(position, `no ${found.missing} rate on ${shipmentDate}`);
        const seller = await manager.getRepository(SellerDirectoryEntry).findOne({ where: { sellerId: stored?.sellerId ?? link.sellerId } });
        if (seller) {
          const valuation = valueLines(shipment.lines ?? [], shipment.lines ?? [], shipment.currency, found);
          record = exportRecords.create({
            exportId: randomUUID(),
            partner,
            orderId: payload.orderId,
            sellerId: seller.sellerId,
            stateCode: seller.stateCode,
            district: seller.district,
            programmes: seller.programmes,
            destinationCountry: shipment.destinationCountry,
            shipmentDate,
            shippingBill: shipment.shippingBillNumber ?? null,
            currency: shipment.currency,
            valueMinor: valuation.valueMinor,
            valueUsdMinor: valuation.valueUsdMinor,
            valueInrMinor: valuation.valueInrMinor,
            fxRate: valuation.fxRate,
            usdRate: valuation.usdRate,
            lines: valuation.lines,
            recordedAt: new Date(),
          });
        }
      }

      const now = new Date();
      await orderEvents.save(
        orderEvents.create({
          partner,
          orderId: payload.orderId,
          sequence: next.sequence,
          eventId: next.eventId,
          kind: next.kind,
          occurredAt: new Date(next.occurredAt),
          event: next,
          applied: next.kind === 'shipped' && (record !== undefined || Boolean(stored?.exportId)),
          receivedAt: now,
        }),
      );
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
        await exportRecords.save(record);
        order.exportId = record.exportId;
        this.stats.exports += 1;
      }
      await orders.save(order);
      this.stats.applied += 1;
    });
  }

  private reject(position: RecordPosition, reason: string): void {
    this.stats.rejected += 1;
    if (this.stats.rejected <= 10) this.logger.warn(`refused ${position.topic}[${position.partition}]@${position.offset}: ${reason}`);
  }
}
