import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ExportFact, factIdOf } from '../export-totals/export-totals.fold';
import { attributeExport, Attribution } from './programme-attribution';
import { ProgrammeCatalogue } from './programme-catalogue';

/** An export fact with the programmes it counts in, and whether it counts in the all-programme rows. */
export interface AttributedFact {
  fact: ExportFact;
  programmes: readonly string[];
  /** False when a set-aside export is applied to a programme defined late: '*' has counted it already. */
  countsInAll: boolean;
}

const factKey = (fact: ExportFact) => `${fact.kind}:${factIdOf(fact)}`;

/**
 * Where the export views count each export: `attributeExport` over the catalogue. An export
 * naming a programme the catalogue does not know yet counts in '*' at once and is set aside for
 * that programme (export_attribution_pending, with an error line); the programme's definition
 * releases it (`release`), so it counts there once, late but not lost.
 */
export class ExportAttribution {
  private readonly logger = new Logger(ExportAttribution.name);
  /** Per transaction: the facts already set aside in it, so the views sharing it do it once. */
  private readonly setAsideIn = new WeakMap<EntityManager, Set<string>>();

  constructor(readonly catalogue: ProgrammeCatalogue) {}

  /** Each fact with the programmes it counts in; facts naming unknown programmes are set aside for them. */
  async attribute(manager: EntityManager, facts: readonly ExportFact[]): Promise<AttributedFact[]> {
    if (facts.length === 0) return [];
    const catalogue = await this.catalogue.marketplaces(manager);
    const attributed: AttributedFact[] = [];
    const unknown: { fact: ExportFact; attribution: Attribution }[] = [];
    for (const fact of facts) {
      const attribution = attributeExport(fact.payload, catalogue);
      if (attribution.unknown.length > 0) unknown.push({ fact, attribution });
      attributed.push({ fact, programmes: attribution.programmes, countsInAll: true });
    }
    await this.setAside(manager, unknown);
    return attributed;
  }

  private async setAside(manager: EntityManager, unknown: readonly { fact: ExportFact; attribution: Attribution }[]): Promise<void> {
    let done = this.setAsideIn.get(manager);
    if (!done) this.setAsideIn.set(manager, (done = new Set()));
    const rows = unknown
      .flatMap(({ fact, attribution }) => attribution.unknown.map((programme) => ({ programme, fact })))
      .filter(({ programme, fact }) => !done.has(`${programme}|${factKey(fact)}`));
    if (rows.length === 0) return;
    const inserted: { programme: string }[] = await manager.query(
      `INSERT INTO export_attribution_pending (programme, kind, fact_id, payload)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(programme text, kind text, fact_id uuid, payload jsonb)
       ON CONFLICT DO NOTHING
       RETURNING programme`,
      [JSON.stringify(rows.map(({ programme, fact }) => ({ programme, kind: fact.kind, fact_id: factIdOf(fact), payload: fact.payload })))],
    );
    for (const { programme, fact } of rows) done.add(`${programme}|${factKey(fact)}`);
    if (inserted.length > 0) {
      const programmes = [...new Set(inserted.map((r) => r.programme))].sort();
      this.logger.error(
        `${inserted.length} export(s) set aside for programme(s) ${programmes.join(', ')}, which the programme catalogue does not hold yet: ` +
          `counted in the all-programme rows now, and in the programme once its ProgrammeDefined arrives ` +
          `(if it never does, check niryat.onboarding.programme.v1; GET /v1/reports/exports/set-aside lists them)`,
      );
    }
  }

  /**
   * The exports set aside for these programmes, now that the catalogue knows them, each attributed
   * to that programme under its marketplaces (or to none); the rows are removed in this transaction.
   */
  async release(manager: EntityManager, programmes: readonly string[]): Promise<AttributedFact[]> {
    if (programmes.length === 0) return [];
    const rows: { programme: string; kind: ExportFact['kind']; payload: ExportFact['payload'] }[] = await manager.query(
      // Through a CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count].
      `WITH released AS (DELETE FROM export_attribution_pending WHERE programme = ANY($1::text[]) RETURNING programme, kind, payload)
       SELECT * FROM released`,
      [programmes],
    );
    if (rows.length === 0) return [];
    const catalogue = await this.catalogue.marketplaces(manager);
    // One entry per fact, with every programme released for it: a fact set aside for two
    // programmes defined in one batch is one fact to the views, not two.
    const byFact = new Map<string, { fact: ExportFact; programmes: string[] }>();
    for (const r of rows) {
      const fact = { kind: r.kind, payload: r.payload } as ExportFact;
      const entry = byFact.get(factKey(fact)) ?? { fact, programmes: [] };
      entry.programmes.push(r.programme);
      byFact.set(factKey(fact), entry);
    }
    const released = [...byFact.values()].map(
      ({ fact, programmes: setAsideFor }): AttributedFact => ({
        fact,
        programmes: attributeExport({ partner: fact.payload.partner, programmes: setAsideFor }, catalogue).programmes,
        countsInAll: false,
      }),
    );
    this.logger.log(`${rows.length} set-aside export(s) released to programme(s) ${[...new Set(rows.map((r) => r.programme))].sort().join(', ')}`);
    return released;
  }

  /** How many exports wait for a programme definition, per programme, and since when (ISO time). */
  async pending(manager: EntityManager): Promise<{ programme: string; exports: number; since: string }[]> {
    const rows: { programme: string; exports: number; since: Date }[] = await manager.query(
      `SELECT programme, count(*)::int AS exports, min(set_aside_at) AS since FROM export_attribution_pending GROUP BY programme ORDER BY programme COLLATE "C"`,
    );
    return rows.map((r) => ({ programme: r.programme, exports: r.exports, since: r.since.toISOString() }));
  }
}
