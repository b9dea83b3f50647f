import { Inject, Injectable } from '@nestjs/common';
import { ExportAdjusted, ExportRecorded, PartnerOrderEventV1, type Marketplace, type MsmeCategory } from '@niryat/contracts';
import { indianCalendarDate } from '@niryat/india';
import { InboundEvent, OutboxEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { SERVICE_ENV } from '@niryat/platform';
import { FxRate } from '@niryat/money';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { enrolledProgrammesOn, EnrolmentPeriod } from '../directory/enrolment-periods';
import { ExportsEnv } from '../exports.env';
import { ratesOn, Valuation, valueLines } from './export-valuation';
import { kindOf, toHistoryEvent } from './order-event-kinds';
import { acceptEvent, HistoryEvent, viewOf } from './order-history';

/** A partner event whose seller account resolved to a seller. */
export interface ResolvedOrderEvent {
  event: InboundEvent<PartnerOrderEventV1>;
  partner: Marketplace;
  sellerId: string;
}

export interface Rejection {
  event: InboundEvent;
  code: string;
  reason: string;
}

interface StoredEvent {
  history: HistoryEvent;
  applied: boolean;
  isNew: boolean;
}

interface OrderState {
  partner: string;
  orderId: string;
  sellerId: string;
  /** Set when the first event is accepted: the order row was created from a candidate, maybe refused. */
  facts?: { sellerAccountId: string; currency: string; destinationCountry: string };
  exportId: string | null;
  status: string;
  events: StoredEvent[];
}

interface DirectoryRow {
  seller_id: string;
  state_code: string;
  district: string;
  classification: MsmeCategory;
  enrolments: EnrolmentPeriod[];
}

interface ExportRow {
  export_id: string;
  /** Quantity per line already reversed by adjustments. */
  reversed?: Map<string, number>;
  shipment_date: string;
  state_code: string;
  district: string;
  programmes: string[];
  fx_rate: { currency: string; effectiveFrom: string; inrPerUnit: string };
  usd_rate: { currency: string; effectiveFrom: string; inrPerUnit: string };
}

const orderKey = (partner: string, orderId: string) => `${partner}\u0000${orderId}`;

/** The day goods left India: the shipping bill's date, else the shipment event's day in India. */
export function shipmentDateOf(shipment: HistoryEvent): string {
  return shipment.shippingBillDate ?? indianCalendarDate(new Date(shipment.occurredAt));
}

/**
 * Applies partner order events to their orders in one pass per batch: one round trip each to load
 * rates, sellers, orders (row-locked) and their histories, then multi-row writes of the accepted
 * events, order states, exports, adjustments and outbox rows. The order state machine decides in
 * memory; export value is recognised on shipment and corrected by returns, at the shipment's rates.
 */
@Injectable()
export class OrderProcessor {
  /** EXPORTS_MAX_SHIPMENT_INR in paise. */
  private readonly maxShipmentInrMinor: number;

  constructor(
    private readonly outbox: OutboxWriter,
    @Inject(SERVICE_ENV) env: ExportsEnv,
  ) {
    this.maxShipmentInrMinor = env.EXPORTS_MAX_SHIPMENT_INR * 100;
  }

  async apply(manager: EntityManager, resolved: readonly ResolvedOrderEvent[]): Promise<Rejection[]> {
    if (resolved.length === 0) return [];
    const rejections: Rejection[] = [];
    const rates = await this.loadRates(manager, resolved);
    const directory = await this.loadDirectory(manager, resolved);
    const orders = await this.lockOrders(manager, resolved);

    const outboxEvents: OutboxEvent[] = [];
    const exportRows: unknown[][] = [];
    const adjustmentRows: unknown[][] = [];
    const now = new Date();
    /** Shipments valued when they were accepted, by event id: recorded as they were checked. */
    const valuations = new Map<string, Valuation>();

    for (const item of resolved) {
      const { event, partner } = item;
      const order = orders.get(orderKey(partner, event.payload.orderId)) as OrderState;
      const next = toHistoryEvent(kindOf(event.definition), event.payload as PartnerOrderEventV1 & { lines?: [] });
      const decision = acceptEvent(
        order.events.map((e) => e.history),
        next,
      );
      // Sent again after the inbox forgot it (retention): in the history already, counted once.
      if (decision.ok === 'duplicate') continue;
      if (!decision.ok) {
        rejections.push({ event, code: decision.code, reason: `order ${event.payload.orderId}: ${decision.reason}` });
        continue;
      }
      if (next.kind === 'shipped') {
        const checked = this.valueShipment(next, rates, directory.get(item.sellerId));
        if ('refusal' in checked) {
          rejections.push({ event, ...checked.refusal });
          continue;
        }
        valuations.set(next.eventId, checked.valuation);
      }
      if (order.events.length === 0) {
        // The first accepted event sets the order's facts (a refused first event must not).
        order.sellerId = item.sellerId;
        order.facts = { sellerAccountId: next.sellerAccountId, currency: next.currency, destinationCountry: next.destinationCountry };
      }
      order.events.push({ history: next, applied: false, isNew: true });
      order.events.sort((a, b) => a.history.sequence - b.history.sequence);
    }

    const exportsById = await this.loadExports(manager, [...orders.values()]);
    for (const order of orders.values()) {
      const view = viewOf(order.events.map((e) => e.history));
      order.status = view.status;
      const seller = directory.get(order.sellerId);
      if (!view.shipment || !seller) continue;
      const shipment = view.shipment;
      const shipmentDate = shipmentDateOf(shipment);
      // The programmes the seller was enrolled in on the day the goods left, whenever the event arrives.
      const programmes = enrolledProgrammesOn(seller.enrolments, shipmentDate);
      let exportRow = order.exportId ? exportsById.get(order.exportId) : undefined;
      const facts = {
        partner: order.partner as Marketplace,
        orderId: order.orderId,
        sellerId: order.sellerId,
        stateCode: seller.state_code,
        district: seller.district,
        classification: seller.classification,
        programmes,
        destinationCountry: shipment.destinationCountry,
        shipmentDate,
        ...(shipment.shippingBillNumber ? { shippingBillNumber: shipment.shippingBillNumber } : {}),
        currency: shipment.currency,
      };
      if (!exportRow) {
        // Every shipment without an export was accepted, and valued, in this batch.
        const valuation = valuations.get(shipment.eventId);
        if (!valuation) continue;
        const exportId = randomUUID();
        order.exportId = exportId;
        exportRow = {
          export_id: exportId,
          shipment_date: shipmentDate,
          state_code: seller.state_code,
          district: seller.district,
          programmes,
          fx_rate: valuation.fxRate,
          usd_rate: valuation.usdRate,
        };
        exportsById.set(exportId, exportRow);
        exportRows.push([
          exportId, order.partner, order.orderId, order.sellerId, seller.state_code, seller.district, programmes, facts.destinationCountry,
          shipmentDate, facts.shippingBillNumber ?? null, facts.currency, valuation.valueMinor, valuation.valueUsdMinor, valuation.valueInrMinor,
          JSON.stringify(valuation.fxRate), JSON.stringify(valuation.usdRate), JSON.stringify(valuation.lines), now,
        ]);
        outboxEvents.push(
          outboxEvent(ExportRecorded, { exportId, ...facts, ...valuation, recordedAt: now.toISOString() }, { occurredAt: new Date(shipment.occurredAt) }),
        );
      }
      const shipmentStored = order.events.find((e) => e.history.eventId === shipment.eventId);
      if (shipmentStored) shipmentStored.applied = true;
      // Never reverse more of a line than shipped, whatever order returns were applied in: a return
      // sequenced before an already-applied return-to-origin finds nothing left to reverse.
      const shippedQty = new Map((shipment.lines ?? []).map((l) => [l.lineId, l.quantity]));
      const reversed = exportRow.reversed ?? new Map<string, number>();
      exportRow.reversed = reversed;
      for (const ret of view.returns) {
        const stored = order.events.find((e) => e.history.eventId === ret.event.eventId);
        if (!stored || stored.applied) continue;
        stored.applied = true;
        const lines = ret.lines
          .map((l) => ({ lineId: l.lineId, quantity: Math.min(l.quantity, (shippedQty.get(l.lineId) ?? 0) - (reversed.get(l.lineId) ?? 0)) }))
          .filter((l) => l.quantity > 0);
        if (lines.length === 0) continue;
        for (const l of lines) reversed.set(l.lineId, (reversed.get(l.lineId) ?? 0) + l.quantity);
        const adjustmentId = randomUUID();
        const adjustmentDate = indianCalendarDate(new Date(ret.event.occurredAt));
        const valuation = valueLines(lines, shipment.lines ?? [], shipment.currency, { fxRate: exportRow.fx_rate, usdRate: exportRow.usd_rate }, -1);
        const reason = ret.event.kind === 'returned-to-origin' ? 'return-to-origin' : 'return';
        adjustmentRows.push([
          adjustmentId, exportRow.export_id, reason, ret.event.eventId, adjustmentDate,
          valuation.valueMinor, valuation.valueUsdMinor, valuation.valueInrMinor, JSON.stringify(valuation.lines), now,
        ]);
        outboxEvents.push(
          outboxEvent(
            ExportAdjusted,
            {
              exportId: exportRow.export_id,
              ...facts,
              // A correction is attributed where the export was: same state, district, programmes and day.
              stateCode: exportRow.state_code,
              district: exportRow.district,
              programmes: exportRow.programmes,
              shipmentDate: exportRow.shipment_date,
              ...valuation,
              adjustmentId,
              reason,
              adjustmentDate,
              recordedAt: now.toISOString(),
            },
            { occurredAt: new Date(ret.event.occurredAt) },
          ),
        );
      }
    }

    await this.write(manager, [...orders.values()], exportRows, adjustmentRows);
    await this.outbox.append(manager, outboxEvents);
    return rejections;
  }

  /**
   * The shipment's value, or why it cannot be valued, checked before it joins the history so
   * nothing can fail after acceptance: a missing reference rate (replayable once loaded), a seller
   * onboarding has not told us about, an amount beyond exact JSON numbers, or a value no MSME
   * shipment has (EXPORTS_MAX_SHIPMENT_INR).
   */
  private valueShipment(shipment: HistoryEvent, rates: FxRate[], seller: DirectoryRow | undefined): { valuation: Valuation } | { refusal: { code: string; reason: string } } {
    const date = shipmentDateOf(shipment);
    const found = ratesOn(rates, shipment.currency, date);
    if ('missing' in found) {
      return { refusal: { code: 'EXPORTS.NO_FX_RATE', reason: `no ${found.missing} reference rate in force on ${date}: load one (POST /v1/fx-rates) and replay this event` } };
    }
    if (!seller) return { refusal: { code: 'EXPORTS.SELLER_NOT_IN_DIRECTORY', reason: 'the seller of this account is not known to exports yet: replay this event later' } };
    let valuation: Valuation;
    try {
      valuation = valueLines(shipment.lines ?? [], shipment.lines ?? [], shipment.currency, found);
    } catch (error) {
      return { refusal: { code: 'EXPORTS.UNVALUABLE_SHIPMENT', reason: `the shipment cannot be valued: ${(error as Error).message}` } };
    }
    if (valuation.valueInrMinor > this.maxShipmentInrMinor) {
      const inr = (paise: number) => `INR ${(paise / 100).toLocaleString('en-IN', { maximumFractionDigits: 2 })}`;
      return {
        refusal: {
          code: 'EXPORTS.IMPLAUSIBLE_SHIPMENT_VALUE',
          reason:
            `the shipment is valued at ${inr(valuation.valueInrMinor)}, above the ${inr(this.maxShipmentInrMinor)} one shipment may be worth ` +
            `(EXPORTS_MAX_SHIPMENT_INR): check its quantities, prices and currency, and send a corrected event`,
        },
      };
    }
    return { valuation };
  }

  /** Every reference rate of the currencies in play and of USD: a small table, one query. */
  private async loadRates(manager: EntityManager, resolved: readonly ResolvedOrderEvent[]): Promise<FxRate[]> {
    const currencies = [...new Set(['USD', ...resolved.map((r) => r.event.payload.currency)])];
    const rows: { currency: string; effective_from: string; inr_per_unit: string }[] = await manager.query(
      `SELECT currency, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, trim_scale(inr_per_unit)::text AS inr_per_unit
         FROM fx_rates WHERE currency = ANY($1::text[]) ORDER BY currency, effective_from`,
      [currencies],
    );
    return rows.map((r) => ({ currency: r.currency, effectiveFrom: r.effective_from, inrPerUnit: r.inr_per_unit }));
  }

  private async loadDirectory(manager: EntityManager, resolved: readonly ResolvedOrderEvent[]): Promise<Map<string, DirectoryRow>> {
    const rows: DirectoryRow[] = await manager.query(
      `SELECT seller_id, state_code, district, classification, enrolments FROM seller_directory WHERE seller_id = ANY($1::uuid[])`,
      [[...new Set(resolved.map((r) => r.sellerId))]],
    );
    return new Map(rows.map((r) => [r.seller_id, r]));
  }

  /** Creates the orders seen for the first time, then locks every order of the batch with its history. */
  private async lockOrders(manager: EntityManager, resolved: readonly ResolvedOrderEvent[]): Promise<Map<string, OrderState>> {
    const firsts = new Map<string, ResolvedOrderEvent>();
    for (const r of resolved) if (!firsts.has(orderKey(r.partner, r.event.payload.orderId))) firsts.set(orderKey(r.partner, r.event.payload.orderId), r);
    const news = [...firsts.values()];
    await manager.query(
      `INSERT INTO orders (partner, order_id, seller_id, seller_account_id, currency, destination_country, status)
       SELECT p, o, s, a, c, d, 'unknown' FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS t(p, o, s, a, c, d)
       ON CONFLICT (partner, order_id) DO NOTHING`,
      [
        news.map((r) => r.partner),
        news.map((r) => r.event.payload.orderId),
        news.map((r) => r.sellerId),
        news.map((r) => r.event.payload.sellerAccountId),
        news.map((r) => r.event.payload.currency),
        news.map((r) => r.event.payload.destinationCountry),
      ],
    );
    const partners = news.map((r) => r.partner);
    const orderIds = news.map((r) => r.event.payload.orderId);
    const rows: { partner: string; order_id: string; seller_id: string; export_id: string | null; status: string }[] = await manager.query(
      `SELECT o.partner, o.order_id, o.seller_id, o.export_id, o.status
         FROM orders o JOIN unnest($1::text[], $2::text[]) AS k(p, o2) ON o.partner = k.p AND o.order_id = k.o2
        ORDER BY o.partner, o.order_id
        FOR UPDATE OF o`,
      [partners, orderIds],
    );
    const history: { partner: string; order_id: string; event: HistoryEvent; applied: boolean }[] = await manager.query(
      `SELECT e.partner, e.order_id, e.event, e.applied
         FROM order_events e JOIN unnest($1::text[], $2::text[]) AS k(p, o2) ON e.partner = k.p AND e.order_id = k.o2
        ORDER BY e.sequence`,
      [partners, orderIds],
    );
    const orders = new Map<string, OrderState>(
      rows.map((r) => [
        orderKey(r.partner, r.order_id),
        { partner: r.partner, orderId: r.order_id, sellerId: r.seller_id, exportId: r.export_id, status: r.status, events: [] as StoredEvent[] },
      ]),
    );
    for (const h of history) orders.get(orderKey(h.partner, h.order_id))?.events.push({ history: h.event, applied: h.applied, isNew: false });
    return orders;
  }

  private async loadExports(manager: EntityManager, orders: OrderState[]): Promise<Map<string, ExportRow>> {
    const ids = orders.map((o) => o.exportId).filter((id): id is string => id !== null);
    if (ids.length === 0) return new Map();
    const rows: (ExportRow & { reversed_lines: { lineId: string; quantity: number }[] | null })[] = await manager.query(
      `SELECT e.export_id, to_char(e.shipment_date, 'YYYY-MM-DD') AS shipment_date, e.state_code, e.district, e.programmes, e.fx_rate, e.usd_rate,
              (SELECT jsonb_agg(l) FROM export_adjustments a, jsonb_array_elements(a.lines) AS l WHERE a.export_id = e.export_id) AS reversed_lines
         FROM exports e WHERE e.export_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map(({ reversed_lines, ...row }) => {
        const reversed = new Map<string, number>();
        // Adjustment lines carry negative quantities.
        for (const line of reversed_lines ?? []) reversed.set(line.lineId, (reversed.get(line.lineId) ?? 0) - line.quantity);
        return [row.export_id, { ...row, reversed }];
      }),
    );
  }

  private async write(manager: EntityManager, orders: OrderState[], exportRows: unknown[][], adjustmentRows: unknown[][]): Promise<void> {
    const newEvents = orders.flatMap((o) => o.events.filter((e) => e.isNew).map((e) => ({ order: o, e })));
    if (newEvents.length > 0) {
      await manager.query(
        `INSERT INTO order_events (partner, order_id, sequence, event_id, kind, occurred_at, event, applied)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::boolean[])`,
        [
          newEvents.map(({ order }) => order.partner),
          newEvents.map(({ order }) => order.orderId),
          newEvents.map(({ e }) => e.history.sequence),
          newEvents.map(({ e }) => e.history.eventId),
          newEvents.map(({ e }) => e.history.kind),
          newEvents.map(({ e }) => e.history.occurredAt),
          newEvents.map(({ e }) => JSON.stringify(e.history)),
          newEvents.map(({ e }) => e.applied),
        ],
      );
    }
    const nowApplied = orders.flatMap((o) => o.events.filter((e) => !e.isNew && e.applied).map((e) => ({ order: o, e })));
    if (nowApplied.length > 0) {
      await manager.query(
        `UPDATE order_events e SET applied = true FROM unnest($1::text[], $2::text[], $3::int[]) AS k(p, o, s)
          WHERE e.partner = k.p AND e.order_id = k.o AND e.sequence = k.s AND NOT e.applied`,
        [nowApplied.map(({ order }) => order.partner), nowApplied.map(({ order }) => order.orderId), nowApplied.map(({ e }) => e.history.sequence)],
      );
    }
    if (exportRows.length > 0) {
      const column = (i: number) => exportRows.map((row) => row[i]);
      await manager.query(
        `INSERT INTO exports (export_id, partner, order_id, seller_id, state_code, district, programmes, destination_country, shipment_date,
                              shipping_bill, currency, value_minor, value_usd_minor, value_inr_minor, fx_rate, usd_rate, lines, recorded_at)
         SELECT t.id, t.p, t.o, t.s, t.st, t.d, string_to_array(t.pr, ','), t.dc, t.sd, t.sb, t.c, t.v, t.vu, t.vi, t.fx, t.ur, t.l, t.ra
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::text[],
                       $11::text[], $12::bigint[], $13::bigint[], $14::bigint[], $15::jsonb[], $16::jsonb[], $17::jsonb[], $18::timestamptz[])
             AS t(id, p, o, s, st, d, pr, dc, sd, sb, c, v, vu, vi, fx, ur, l, ra)`,
        Array.from({ length: 18 }, (_, i) => (i === 6 ? exportRows.map((row) => (row[6] as string[]).join(',')) : column(i))),
      );
    }
    if (adjustmentRows.length > 0) {
      const column = (i: number) => adjustmentRows.map((row) => row[i]);
      await manager.query(
        `INSERT INTO export_adjustments (adjustment_id, export_id, reason, source_event_id, adjustment_date, value_minor, value_usd_minor, value_inr_minor, lines, recorded_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::bigint[], $7::bigint[], $8::bigint[], $9::jsonb[], $10::timestamptz[])`,
        Array.from({ length: 10 }, (_, i) => column(i)),
      );
    }
    await manager.query(
      `UPDATE orders o SET status = k.st, export_id = k.ex, seller_id = k.s,
              seller_account_id = coalesce(k.a, o.seller_account_id), currency = coalesce(k.c, o.currency),
              destination_country = coalesce(k.d, o.destination_country), updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[]) AS k(p, oid, st, ex, s, a, c, d)
        WHERE o.partner = k.p AND o.order_id = k.oid`,
      [
        orders.map((o) => o.partner),
        orders.map((o) => o.orderId),
        orders.map((o) => o.status),
        orders.map((o) => o.exportId),
        orders.map((o) => o.sellerId),
        orders.map((o) => o.facts?.sellerAccountId ?? null),
        orders.map((o) => o.facts?.currency ?? null),
        orders.map((o) => o.facts?.destinationCountry ?? null),
      ],
    );
  }
}
