import { ExportAdjusted, ExportAdjustedV1, ExportRecordedV1 } from '@niryat/contracts';
import { InboundEvent } from '@niryat/messaging';
import { EntityManager } from 'typeorm';
import { ExportFact, factIdOf, uniqueFacts } from './export-totals.fold';

export function toExportFact(event: InboundEvent): ExportFact {
  return event.attributes.type === ExportAdjusted.type
    ? { kind: 'adjusted', payload: event.payload as ExportAdjustedV1 }
    : { kind: 'recorded', payload: event.payload as ExportRecordedV1 };
}

const factKey = (fact: ExportFact) => `${fact.kind}:${factIdOf(fact)}`;

/**
 * The exports and adjustments the export views have counted, by business id
 * (`export_facts_applied`). The inbox drops a redelivered event (same ce_id); this drops the same
 * export or adjustment re-sent as a new event.
 *
 * The views sharing a ledger (export totals and programme progress, see ReportingViews) apply a
 * batch in one transaction, so its facts are recorded once and every view of that transaction is
 * given the same answer: one insert per batch instead of one per view.
 */
export class ExportFactsLedger {
  /** Per transaction: each fact asked about, and whether this transaction is the first to count it. */
  private readonly byTransaction = new WeakMap<EntityManager, Map<string, boolean>>();

  /** The batch's facts not counted before this transaction, recorded as counted in it. */
  async fresh(manager: EntityManager, events: readonly InboundEvent[]): Promise<ExportFact[]> {
    const candidates = uniqueFacts(events.map(toExportFact));
    if (candidates.length === 0) return [];
    let answers = this.byTransaction.get(manager);
    if (!answers) this.byTransaction.set(manager, (answers = new Map()));
    const known = answers;
    const unasked = candidates.filter((fact) => !known.has(factKey(fact)));
    if (unasked.length > 0) {
      const inserted: { kind: string; fact_id: string }[] = await manager.query(
        `INSERT INTO export_facts_applied (kind, fact_id)
         SELECT * FROM unnest($1::text[], $2::uuid[])
         ON CONFLICT (kind, fact_id) DO NOTHING
         RETURNING kind, fact_id`,
        [unasked.map((f) => f.kind), unasked.map(factIdOf)],
      );
      const fresh = new Set(inserted.map((r) => `${r.kind}:${r.fact_id}`));
      for (const fact of unasked) known.set(factKey(fact), fresh.has(factKey(fact)));
    }
    return candidates.filter((fact) => known.get(factKey(fact)));
  }
}
