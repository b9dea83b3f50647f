import { Injectable } from '@nestjs/common';
import { ExportTotalsChanged } from '@niryat/contracts';
import { InboundEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { inKeyOrder } from '@niryat/persistence';
import { EntityManager } from 'typeorm';
import { AttributedFact, ExportAttribution } from '../attribution/export-attribution';
import { ExportFactsLedger } from './export-facts';
import { cellKey, foldExports, SellerMonth } from './export-totals.fold';

export type ExportBreakdown = 'destination' | 'hs-chapter';

export interface ExportTotalsFilters {
  programme?: string;
  stateCode?: string;
  /** First month included, YYYY-MM. */
  from?: string;
  /** Last month included, YYYY-MM. */
  to?: string;
  by?: ExportBreakdown;
}

/** Money as strings of integer minor units: bigint-safe in JSON. */
export interface ExportDestinationRow {
  destinationCountry: string;
  valueUsdMinor: string;
  valueInrMinor: string;
  orders: number;
}

export interface ExportHsChapterRow {
  hsChapter: string;
  valueUsdMinor: string;
  valueInrMinor: string;
}

export interface ExportTotalsRow {
  programme: string;
  stateCode: string;
  /** YYYY-MM */
  month: string;
  valueUsdMinor: string;
  valueInrMinor: string;
  orders: number;
  exportingSellers: number;
  returns: number;
  returnsUsdMinor: string;
  returnsInrMinor: string;
  byDestination?: ExportDestinationRow[];
  byHsChapter?: ExportHsChapterRow[];
}

const str = (values: readonly bigint[]) => values.map((v) => v.toString());

/** An export_totals row as read: month YYYY-MM, money as text (bigint-safe). */
interface ExportTotalsRecord {
  programme: string;
  state_code: string;
  month: string;
  value_usd_minor: string;
  value_inr_minor: string;
  orders: number;
  exporting_sellers: number;
  returns: number;
  returns_usd_minor: string;
  returns_inr_minor: string;
}

const RECORD_COLUMNS = `programme, state_code, to_char(month, 'YYYY-MM') AS month, value_usd_minor::text AS value_usd_minor,
  value_inr_minor::text AS value_inr_minor, orders, exporting_sellers, returns, returns_usd_minor::text AS returns_usd_minor,
  returns_inr_minor::text AS returns_inr_minor`;
/** Remembered seller-months before the memory starts again: a few MB. */
const KNOWN_SELLER_MONTHS_LIMIT = 100_000;

const rowKey = (r: { programme: string; state_code: string; month: string }) => `${r.programme}|${r.state_code}|${r.month}`;

/**
 * Export totals per programme × state × month, with breakdowns by destination and HS chapter,
 * maintained from ExportRecorded / ExportAdjusted. A batch costs two statements whatever its size,
 * in the consumer's transaction (with the inbox rows and the stored offset): record the facts by
 * business id in the ledger shared with programme progress (dropping ones already counted), then
 * one statement that records the seller-months (the new ones are the cells' new exporting sellers)
 * and upserts the folded deltas of every table (totals, both breakdowns, and each seller's net
 * exports per programme for the training impact view), returning the totals' new values to
 * republish.
 */
@Injectable()
export class ExportTotalsProjection {
  /** Keys of fold.sellerMonths known to be in exporting_seller_months (see rememberSellerMonths). */
  private readonly knownSellerMonths = new Set<string>();

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly attribution: ExportAttribution,
    private readonly ledger = new ExportFactsLedger(),
  ) {}

  async apply(events: InboundEvent[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const facts = await this.ledger.fresh(manager, events);
    if (facts.length === 0) return;
    await this.applyAttributed(manager, await this.attribution.attribute(manager, facts));
  }

  /** Counts facts (new to the views) where they are attributed: a batch's, or set-aside ones released to their programme. */
  async applyAttributed(manager: EntityManager, facts: readonly AttributedFact[]): Promise<void> {
    if (facts.length === 0) return;
    const fold = foldExports(facts);
    // Rows in key order: concurrent chunks (other partitions) lock shared rows in one order.
    const totals = inKeyOrder(fold.totals);
    const destinations = inKeyOrder(fold.byDestination);
    const chapters = inKeyOrder(fold.byHsChapter);
    // Seller-months already recorded in an earlier batch need no probe: most of a batch's, since a
    // seller exports in the same month again and again.
    const members = [...fold.sellerMonths].filter(([key]) => !this.knownSellerMonths.has(key)).map(([, member]) => member);
    const sellers = [...fold.bySeller.values()];
    // One statement, one round trip: the seller-months first (the ones new to their cell are the
    // cell's new exporting sellers), then an upsert of the folded deltas per table; the totals'
    // upsert returns the rows' new values, which are republished.
    const changed: (ExportTotalsRecord & { new_sellers: number })[] = await manager.query(
      `WITH new_members AS (
         INSERT INTO exporting_seller_months (programme, state_code, month, seller_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::uuid[])
         ON CONFLICT DO NOTHING
         RETURNING programme, state_code, month
       ), new_sellers AS (
         SELECT programme, state_code, month, count(*)::int AS n FROM new_members GROUP BY programme, state_code, month
       ), destinations AS (
         INSERT INTO export_totals_by_destination AS t (programme, state_code, month, destination_country, value_usd_minor, value_inr_minor, orders)
         SELECT * FROM unnest($14::text[], $15::text[], $16::date[], $17::text[], $18::bigint[], $19::bigint[], $20::int[])
         ON CONFLICT (programme, state_code, month, destination_country) DO UPDATE SET
           value_usd_minor = t.value_usd_minor + EXCLUDED.value_usd_minor,
           value_inr_minor = t.value_inr_minor + EXCLUDED.value_inr_minor,
           orders          = t.orders + EXCLUDED.orders,
           updated_at      = now()
       ), chapters AS (
         INSERT INTO export_totals_by_hs_chapter AS t (programme, state_code, month, hs_chapter, value_usd_minor, value_inr_minor)
         SELECT * FROM unnest($21::text[], $22::text[], $23::date[], $24::text[], $25::bigint[], $26::bigint[])
         ON CONFLICT (programme, state_code, month, hs_chapter) DO UPDATE SET
           value_usd_minor = t.value_usd_minor + EXCLUDED.value_usd_minor,
           value_inr_minor = t.value_inr_minor + EXCLUDED.value_inr_minor,
           updated_at      = now()
       ), sellers AS (
         INSERT INTO seller_programme_exports AS t (seller_id, programme, value_usd_minor, value_inr_minor, orders)
         SELECT * FROM unnest($27::uuid[], $28::text[], $29::bigint[], $30::bigint[], $31::int[])
         ON CONFLICT (seller_id, programme) DO UPDATE SET
           value_usd_minor = t.value_usd_minor + EXCLUDED.value_usd_minor,
           value_inr_minor = t.value_inr_minor + EXCLUDED.value_inr_minor,
           orders          = t.orders + EXCLUDED.orders,
           updated_at      = now()
       )
       INSERT INTO export_totals AS t (programme, state_code, month, value_usd_minor, value_inr_minor, orders, exporting_sellers,
                                       returns, returns_usd_minor, returns_inr_minor)
       SELECT d.programme, d.state_code, d.month, d.usd, d.inr, d.orders, coalesce(s.n, 0), d.returns, d.returns_usd, d.returns_inr
         FROM unnest($5::text[], $6::text[], $7::date[], $8::bigint[], $9::bigint[], $10::int[], $11::int[], $12::bigint[], $13::bigint[])
                WITH ORDINALITY AS d(programme, state_code, month, usd, inr, orders, returns, returns_usd, returns_inr, i)
         LEFT JOIN new_sellers s ON s.programme = d.programme AND s.state_code = d.state_code AND s.month = d.month
        ORDER BY d.i
       ON CONFLICT (programme, state_code, month) DO UPDATE SET
         value_usd_minor   = t.value_usd_minor + EXCLUDED.value_usd_minor,
         value_inr_minor   = t.value_inr_minor + EXCLUDED.value_inr_minor,
         orders            = t.orders + EXCLUDED.orders,
         exporting_sellers = t.exporting_sellers + EXCLUDED.exporting_sellers,
         returns           = t.returns + EXCLUDED.returns,
         returns_usd_minor = t.returns_usd_minor + EXCLUDED.returns_usd_minor,
         returns_inr_minor = t.returns_inr_minor + EXCLUDED.returns_inr_minor,
         updated_at        = now()
       RETURNING ${RECORD_COLUMNS},
         coalesce((SELECT n FROM new_sellers s WHERE s.programme = t.programme AND s.state_code = t.state_code AND s.month = t.month), 0) AS new_sellers`,
      [
        members.map((m) => m.programme),
        members.map((m) => m.stateCode),
        members.map((m) => m.month),
        members.map((m) => m.sellerId),
        totals.map((r) => r.programme),
        totals.map((r) => r.stateCode),
        totals.map((r) => r.month),
        str(totals.map((r) => r.valueUsdMinor)),
        str(totals.map((r) => r.valueInrMinor)),
        totals.map((r) => r.orders),
        totals.map((r) => r.returns),
        str(totals.map((r) => r.returnsUsdMinor)),
        str(totals.map((r) => r.returnsInrMinor)),
        destinations.map((r) => r.programme),
        destinations.map((r) => r.stateCode),
        destinations.map((r) => r.month),
        destinations.map((r) => r.destinationCountry),
        str(destinations.map((r) => r.valueUsdMinor)),
        str(destinations.map((r) => r.valueInrMinor)),
        destinations.map((r) => r.orders),
        chapters.map((r) => r.programme),
        chapters.map((r) => r.stateCode),
        chapters.map((r) => r.month),
        chapters.map((r) => r.hsChapter),
        str(chapters.map((r) => r.valueUsdMinor)),
        str(chapters.map((r) => r.valueInrMinor)),
        sellers.map((r) => r.sellerId),
        sellers.map((r) => r.programme),
        str(sellers.map((r) => r.valueUsdMinor)),
        str(sellers.map((r) => r.valueInrMinor)),
        sellers.map((r) => r.orders),
      ],
    );
    this.rememberSellerMonths(members, changed);
    await this.publish(manager, changed);
  }

  /**
   * The seller-months of cells in which none of the batch's sellers was new: every one of them was
   * in the table before this transaction, committed, and rows there are never deleted while the
   * service runs (a rebuild swaps in tables holding the same ones). Only those are remembered, so
   * a transaction that fails and is retried never leaves one remembered that is not there.
   */
  private rememberSellerMonths(submitted: readonly SellerMonth[], rows: readonly { programme: string; state_code: string; month: string; new_sellers: number }[]): void {
    const settled = new Set(rows.filter((r) => r.new_sellers === 0).map((r) => `${r.programme}|${r.state_code}|${r.month}-01`));
    if (this.knownSellerMonths.size > KNOWN_SELLER_MONTHS_LIMIT) this.knownSellerMonths.clear();
    for (const member of submitted) {
      const cell = cellKey(member);
      if (settled.has(cell)) this.knownSellerMonths.add(`${cell}|${member.sellerId}`);
    }
  }

  /** Every export totals row to the outbox: the snapshot a rebuild publishes when it swaps in. */
  async republishAll(manager: EntityManager): Promise<void> {
    await this.publish(manager, await manager.query(`SELECT ${RECORD_COLUMNS} FROM export_totals`));
  }

  /**
   * The changed rows' new absolute values for the compacted reporting topic, written to the outbox
   * in this transaction: published once the batch is committed, never for a batch that was not.
   */
  private async publish(manager: EntityManager, rows: readonly ExportTotalsRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const asOf = new Date().toISOString();
    await this.outbox.append(
      manager,
      rows.map((r) =>
        outboxEvent(ExportTotalsChanged, {
          programme: r.programme,
          stateCode: r.state_code,
          month: r.month,
          valueUsdMinor: r.value_usd_minor,
          valueInrMinor: r.value_inr_minor,
          orders: r.orders,
          exportingSellers: r.exporting_sellers,
          returns: r.returns,
          returnsUsdMinor: r.returns_usd_minor,
          returnsInrMinor: r.returns_inr_minor,
          asOf,
        }),
      ),
    );
  }

  /** Rows matching the filters, ordered by programme (byte order: '*' first), state, month; breakdowns nested when asked. */
  async read(manager: EntityManager, filters: ExportTotalsFilters = {}): Promise<ExportTotalsRow[]> {
    const where = `($1::text IS NULL OR programme = $1) AND ($2::text IS NULL OR state_code = $2)
               AND ($3::date IS NULL OR month >= $3) AND ($4::date IS NULL OR month <= $4)`;
    const params = [
      filters.programme ?? null,
      filters.stateCode ?? null,
      filters.from ? `${filters.from}-01` : null,
      filters.to ? `${filters.to}-01` : null,
    ];
    const rows: ExportTotalsRecord[] = await manager.query(
      `SELECT ${RECORD_COLUMNS} FROM export_totals WHERE ${where} ORDER BY programme COLLATE "C", state_code, month`,
      params,
    );
    const result = rows.map(
      (r): ExportTotalsRow => ({
        programme: r.programme,
        stateCode: r.state_code,
        month: r.month,
        valueUsdMinor: r.value_usd_minor,
        valueInrMinor: r.value_inr_minor,
        orders: r.orders,
        exportingSellers: r.exporting_sellers,
        returns: r.returns,
        returnsUsdMinor: r.returns_usd_minor,
        returnsInrMinor: r.returns_inr_minor,
      }),
    );
    const byKey = new Map(result.map((row) => [rowKey({ programme: row.programme, state_code: row.stateCode, month: row.month }), row]));

    if (filters.by === 'destination') {
      for (const row of result) row.byDestination = [];
      const breakdown: { programme: string; state_code: string; month: string; destination_country: string; value_usd_minor: string; value_inr_minor: string; orders: number }[] =
        await manager.query(
          `SELECT programme, state_code, to_char(month, 'YYYY-MM') AS month, destination_country, value_usd_minor::text, value_inr_minor::text, orders
             FROM export_totals_by_destination WHERE ${where} ORDER BY programme COLLATE "C", state_code, month, destination_country`,
          params,
        );
      for (const b of breakdown) {
        byKey.get(rowKey(b))?.byDestination?.push({
          destinationCountry: b.destination_country,
          valueUsdMinor: b.value_usd_minor,
          valueInrMinor: b.value_inr_minor,
          orders: b.orders,
        });
      }
    }
    if (filters.by === 'hs-chapter') {
      for (const row of result) row.byHsChapter = [];
      const breakdown: { programme: string; state_code: string; month: string; hs_chapter: string; value_usd_minor: string; value_inr_minor: string }[] =
        await manager.query(
          `SELECT programme, state_code, to_char(month, 'YYYY-MM') AS month, hs_chapter, value_usd_minor::text, value_inr_minor::text
             FROM export_totals_by_hs_chapter WHERE ${where} ORDER BY programme COLLATE "C", state_code, month, hs_chapter`,
          params,
        );
      for (const b of breakdown) {
        byKey.get(rowKey(b))?.byHsChapter?.push({ hsChapter: b.hs_chapter, valueUsdMinor: b.value_usd_minor, valueInrMinor: b.value_inr_minor });
      }
    }
    return result;
  }
}
