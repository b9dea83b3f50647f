import { Injectable } from '@nestjs/common';
import { ExportRecorded, ExportRecordedV1, SellerFunnelChanged } from '@niryat/contracts';
import { InboundEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { lockKeys } from '@niryat/persistence';
import { EntityManager } from 'typeorm';
import { AttributedFact, ExportAttribution } from '../attribution/export-attribution';
import { attributeExport, ProgrammeMarketplaces } from '../attribution/programme-attribution';
import { FunnelEvent, foldFunnel, sellerOf } from './funnel.fold';

export interface FunnelFilters {
  programme?: string;
  stateCode?: string;
}

export interface SellerFunnelRow {
  programme: string;
  stateCode: string;
  registered: number;
  approved: number;
  enrolled: number;
  exporting: number;
}

export interface TrainingFunnelRow {
  programme: string;
  stateCode: string;
  enrolled: number;
  certified: number;
}

const WHERE = `($1::text IS NULL OR programme = $1) AND ($2::text IS NULL OR state_code = $2)`;

/** Remembered sellers and seller × programme pairs (see changesNothing) before the memory starts again: a few MB. */
const REMEMBERED_LIMIT = 100_000;

/** How a seller counts in one programme, as read: `line` says where and with which flags. */
interface FunnelFact {
  programme: string;
  stateCode: string;
  line: string;
}

/**
 * The seller funnel and training per programme × state, maintained from onboarding's seller
 * events, ExportRecorded and the learner events. The consumer keeps facts, not counts: where each
 * seller is (funnel_sellers) and per seller × programme flags (funnel_seller_programmes,
 * training_learners); the counts are the views seller_funnel and training_funnel over them, so a
 * seller who moves state is counted where it is now. A batch costs at most three multi-row
 * upserts whatever its size, in the consumer's transaction (with the inbox rows and the offsets),
 * and nothing for exports that cannot change the funnel any more (changesNothing).
 */
@Injectable()
export class FunnelProjection {
  /**
   * What committed rows say an export can no longer change (see changesNothing): sellers placed by
   * onboarding, whose place an export never outranks, and `seller|programme` pairs counted as
   * exporting, which never becomes false again.
   */
  private readonly onboarded = new Set<string>();
  private readonly exporting = new Set<string>();

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly attribution: ExportAttribution,
  ) {}

  /**
   * Where each of these sellers counts in the funnel now, and how: one line per seller × programme.
   * With `remember`, what the rows say an export can no longer change is remembered: only for reads
   * of rows committed before the transaction, so a rollback never leaves something remembered
   * that is not there.
   */
  private async funnelFactsOf(manager: EntityManager, sellerIds: string[], remember = false): Promise<Map<string, FunnelFact[]>> {
    const bySeller = new Map<string, FunnelFact[]>();
    if (sellerIds.length === 0) return bySeller;
    const rows: { seller_id: string; authoritative: boolean; programme: string | null; state_code: string; flags: string; exporting: boolean }[] = await manager.query(
      `SELECT s.seller_id, s.authoritative, p.programme, s.state_code, p.exporting,
              concat_ws(',', p.registered, p.approved, p.enrolled, p.exporting) AS flags
         FROM funnel_sellers s LEFT JOIN funnel_seller_programmes p ON p.seller_id = s.seller_id
        WHERE s.seller_id = ANY($1::uuid[])`,
      [sellerIds],
    );
    if (remember && this.onboarded.size + this.exporting.size > REMEMBERED_LIMIT) {
      this.onboarded.clear();
      this.exporting.clear();
    }
    for (const r of rows) {
      if (remember && r.authoritative) this.onboarded.add(r.seller_id);
      // A seller placed but in no programme yet.
      if (r.programme === null) continue;
      if (remember && r.exporting) this.exporting.add(`${r.seller_id}|${r.programme}`);
      const facts = bySeller.get(r.seller_id) ?? [];
      facts.push({ programme: r.programme, stateCode: r.state_code, line: `${r.programme}|${r.state_code}|${r.flags}` });
      bySeller.set(r.seller_id, facts);
    }
    return bySeller;
  }

  /**
   * An export that can change nothing here: of a seller onboarding placed (the export's placement
   * does not outrank it) already counted as exporting in each of the export's programmes. Once
   * sellers trade, that is most exports, and a batch of only such costs no statement at all.
   */
  private changesNothing(event: InboundEvent, catalogue: ProgrammeMarketplaces): boolean {
    if (event.attributes.type !== ExportRecorded.type) return false;
    const payload = event.payload as ExportRecordedV1;
    const seller = sellerOf(payload);
    if (!this.onboarded.has(seller)) return false;
    const { programmes, unknown } = attributeExport(payload, catalogue);
    return unknown.length === 0 && programmes.every((programme) => this.exporting.has(`${seller}|${programme}`));
  }

  /**
   * The funnel rows of the given keys, zeros included (a row a seller left), to the compacted
   * reporting topic through the outbox: published once the batch commits.
   */
  private async publish(manager: EntityManager, keys: { programme: string; stateCode: string }[]): Promise<void> {
    if (keys.length === 0) return;
    const rows: { programme: string; state_code: string; registered: number; approved: number; enrolled: number; exporting: number }[] = await manager.query(
      `SELECT k.p AS programme, k.s AS state_code, coalesce(f.registered, 0) AS registered, coalesce(f.approved, 0) AS approved,
              coalesce(f.enrolled, 0) AS enrolled, coalesce(f.exporting, 0) AS exporting
         FROM unnest($1::text[], $2::text[]) AS k(p, s) LEFT JOIN seller_funnel f ON f.programme = k.p AND f.state_code = k.s`,
      [keys.map((k) => k.programme), keys.map((k) => k.stateCode)],
    );
    const asOf = new Date().toISOString();
    await this.outbox.append(
      manager,
      rows.map((r) =>
        outboxEvent(SellerFunnelChanged, {
          programme: r.programme,
          stateCode: r.state_code,
          registered: r.registered,
          approved: r.approved,
          enrolled: r.enrolled,
          exporting: r.exporting,
          asOf,
        }),
      ),
    );
  }

  /** Every funnel row to the outbox: the snapshot a rebuild publishes when it swaps in. */
  async republishAll(manager: EntityManager): Promise<void> {
    const rows: { programme: string; state_code: string }[] = await manager.query(`SELECT programme, state_code FROM seller_funnel`);
    await this.publish(manager, rows.map((r) => ({ programme: r.programme, stateCode: r.state_code })));
  }

  async apply(events: InboundEvent[], manager: EntityManager): Promise<void> {
    const catalogue = await this.attribution.catalogue.marketplaces(manager);
    const relevant = events.filter((e) => !this.changesNothing(e, catalogue));
    if (relevant.length === 0) return;
    const exported = relevant.filter((e) => e.attributes.type === ExportRecorded.type).map((e) => ({ kind: 'recorded' as const, payload: e.payload as ExportRecordedV1 }));
    const attributed = await this.attribution.attribute(manager, exported);
    const exportingIn = new Map(attributed.map((a) => [a.fact.payload.exportId.toLowerCase(), a.programmes]));
    await this.applyEvents(manager, relevant.map((e) => ({ type: e.attributes.type, payload: e.payload })), exportingIn);
  }

  /** Set-aside exports released to their programme: their sellers become exporting there. */
  async applyAttributed(manager: EntityManager, facts: readonly AttributedFact[]): Promise<void> {
    const recorded = facts.filter((a) => a.fact.kind === 'recorded' && a.programmes.length > 0);
    if (recorded.length === 0) return;
    const exportingIn = new Map(recorded.map((a) => [a.fact.payload.exportId.toLowerCase(), a.programmes]));
    // Exporting only: the export's placement of its seller counted when it first arrived.
    await this.applyEvents(manager, recorded.map((a) => ({ type: ExportRecorded.type, payload: a.fact.payload })), exportingIn, false);
  }

  private async applyEvents(manager: EntityManager, events: readonly FunnelEvent[], exportingIn: ReadonlyMap<string, readonly string[]>, placeSellers = true): Promise<void> {
    const fold = foldFunnel(events, (p) => exportingIn.get(p.exportId.toLowerCase()) ?? []);
    if (!placeSellers) fold.sellers.clear();
    const touched = [...new Set([...fold.sellers.values(), ...fold.programmes.values(), ...fold.learners.values()].map((x) => x.sellerId))];
    // Chunks of other partitions (other topics) may change the same sellers: one at a time per seller.
    await lockKeys(manager, 'funnel-seller', touched);
    // How these sellers count before and after: a seller who moves leaves one row and joins another.
    const before = await this.funnelFactsOf(manager, touched, true);

    // Sellers whose placement or funnel flags this batch changed: only their rows can move.
    const moved = new Set<string>();
    const sellers = [...fold.sellers.values()];
    if (sellers.length > 0) {
      // Onboarding outranks a provisional placement; within a rank the later business time wins.
      const placed: { seller_id: string }[] = await manager.query(
        `INSERT INTO funnel_sellers AS t (seller_id, state_code, authoritative, state_as_of)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[])
         ON CONFLICT (seller_id) DO UPDATE SET
           state_code    = EXCLUDED.state_code,
           authoritative = EXCLUDED.authoritative,
           state_as_of   = EXCLUDED.state_as_of,
           updated_at    = now()
         WHERE (EXCLUDED.authoritative, EXCLUDED.state_as_of) >= (t.authoritative, t.state_as_of)
         RETURNING seller_id`,
        [sellers.map((s) => s.sellerId), sellers.map((s) => s.stateCode), sellers.map((s) => s.authoritative), sellers.map((s) => s.asOf)],
      );
      for (const row of placed) moved.add(row.seller_id);
    }

    const programmes = [...fold.programmes.values()];
    if (programmes.length > 0) {
      const flagged: { seller_id: string }[] = await manager.query(
        `INSERT INTO funnel_seller_programmes AS t (seller_id, programme, registered, approved, exporting, enrolled, enrolled_as_of)
         SELECT u.seller_id, u.programme, coalesce(u.registered, false), coalesce(u.approved, false), coalesce(u.exporting, false),
                coalesce(u.enrolled, false), u.enrolled_as_of
           FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::boolean[], $5::boolean[], $6::boolean[], $7::timestamptz[])
             AS u(seller_id, programme, registered, approved, exporting, enrolled, enrolled_as_of)
         ON CONFLICT (seller_id, programme) DO UPDATE SET
           registered     = t.registered OR EXCLUDED.registered,
           approved       = t.approved OR EXCLUDED.approved,
           exporting      = t.exporting OR EXCLUDED.exporting,
           enrolled       = CASE WHEN EXCLUDED.enrolled_as_of IS NOT NULL AND (t.enrolled_as_of IS NULL OR EXCLUDED.enrolled_as_of >= t.enrolled_as_of)
                                 THEN EXCLUDED.enrolled ELSE t.enrolled END,
           enrolled_as_of = greatest(t.enrolled_as_of, EXCLUDED.enrolled_as_of),
           updated_at     = now()
         -- Most events change no flag (another export of an exporting seller): no new row version then.
         WHERE (EXCLUDED.registered AND NOT t.registered) OR (EXCLUDED.approved AND NOT t.approved) OR (EXCLUDED.exporting AND NOT t.exporting)
            OR (EXCLUDED.enrolled_as_of IS NOT NULL AND (t.enrolled_as_of IS NULL OR EXCLUDED.enrolled_as_of > t.enrolled_as_of
                OR (EXCLUDED.enrolled_as_of = t.enrolled_as_of AND EXCLUDED.enrolled <> t.enrolled)))
         RETURNING seller_id`,
        [
          programmes.map((p) => p.sellerId),
          programmes.map((p) => p.programme),
          programmes.map((p) => p.registered),
          programmes.map((p) => p.approved),
          programmes.map((p) => p.exporting),
          programmes.map((p) => p.enrolled),
          programmes.map((p) => p.enrolledAsOf),
        ],
      );
      for (const row of flagged) moved.add(row.seller_id);
    }

    const learners = [...fold.learners.values()];
    if (learners.length > 0) {
      await manager.query(
        `INSERT INTO training_learners AS t (seller_id, programme, enrolled, enrolled_as_of, certified)
         SELECT u.seller_id, u.programme, coalesce(u.enrolled, false), u.enrolled_as_of, coalesce(u.certified, false)
           FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[], $5::boolean[])
             AS u(seller_id, programme, enrolled, enrolled_as_of, certified)
         ON CONFLICT (seller_id, programme) DO UPDATE SET
           enrolled       = CASE WHEN EXCLUDED.enrolled_as_of IS NOT NULL AND (t.enrolled_as_of IS NULL OR EXCLUDED.enrolled_as_of >= t.enrolled_as_of)
                                 THEN EXCLUDED.enrolled ELSE t.enrolled END,
           enrolled_as_of = greatest(t.enrolled_as_of, EXCLUDED.enrolled_as_of),
           certified      = t.certified OR EXCLUDED.certified,
           updated_at     = now()`,
        [
          learners.map((l) => l.sellerId),
          learners.map((l) => l.programme),
          learners.map((l) => l.enrolled),
          learners.map((l) => l.enrolledAsOf),
          learners.map((l) => l.certified),
        ],
      );
    }
    // Only rows whose counts moved: most events (another export of an exporting seller) change none.
    if (moved.size === 0) return;
    const after = await this.funnelFactsOf(manager, [...moved]);
    const lines = (facts?: { line: string }[]) => (facts ?? []).map((f) => f.line).sort().join(';');
    const changed = [...moved].filter((seller) => lines(before.get(seller)) !== lines(after.get(seller)));
    const keys = [
      ...new Map(changed.flatMap((seller) => [...(before.get(seller) ?? []), ...(after.get(seller) ?? [])]).map((k) => [`${k.programme}|${k.stateCode}`, k])).values(),
    ];
    // A row counts many sellers, changed by concurrent chunks through different fact rows: the
    // later chunk waits here for the earlier one to commit, so the value it publishes includes it.
    await lockKeys(manager, 'funnel-row', keys.map((k) => `${k.programme}|${k.stateCode}`));
    await this.publish(manager, keys);
  }

  /** Seller funnel rows matching the filters, ordered by programme (byte order) and state. */
  async readFunnel(manager: EntityManager, filters: FunnelFilters = {}): Promise<SellerFunnelRow[]> {
    const rows: { programme: string; state_code: string; registered: number; approved: number; enrolled: number; exporting: number }[] =
      await manager.query(
        `SELECT programme, state_code, registered, approved, enrolled, exporting
           FROM seller_funnel WHERE ${WHERE} ORDER BY programme COLLATE "C", state_code`,
        [filters.programme ?? null, filters.stateCode ?? null],
      );
    return rows.map((r) => ({
      programme: r.programme,
      stateCode: r.state_code,
      registered: r.registered,
      approved: r.approved,
      enrolled: r.enrolled,
      exporting: r.exporting,
    }));
  }

  /** Training rows matching the filters, ordered by programme (byte order) and state. */
  async readTraining(manager: EntityManager, filters: FunnelFilters = {}): Promise<TrainingFunnelRow[]> {
    const rows: { programme: string; state_code: string; enrolled: number; certified: number }[] = await manager.query(
      `SELECT programme, state_code, enrolled, certified
         FROM training_funnel WHERE ${WHERE} ORDER BY programme COLLATE "C", state_code`,
      [filters.programme ?? null, filters.stateCode ?? null],
    );
    return rows.map((r) => ({ programme: r.programme, stateCode: r.state_code, enrolled: r.enrolled, certified: r.certified }));
  }
}
