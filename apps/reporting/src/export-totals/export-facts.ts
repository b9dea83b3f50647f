import { ExportAdjusted, ExportAdjustedV1, ExportRecordedV1 } from '@niryat/contracts';
import { InboundEvent } from '@niryat/messaging';
import { EntityManager } from 'typeorm';
import { ExportFact, factIdOf, uniqueFacts } from './export-totals.fold';

/** A view's table of the exports and adjustments it has counted, by business id. */
export type AppliedFactsTable = 'export_totals_applied' | 'progress_applied';

export function toExportFact(event: InboundEvent): ExportFact {
  return event.attributes.type === ExportAdjusted.type
    ? { kind: 'adjusted', payload: event.payload as ExportAdjustedV1 }
    : { kind: 'recorded', payload: event.payload as ExportRecordedV1 };
}

/**
 * The batch's export facts this view has not counted yet, recorded as counted in the same
 * statement. The inbox drops a redelivered event (same ce_id); this drops the same export or
 * adjustment re-sent as a new event.
 */
export async function freshExportFacts(manager: EntityManager, table: AppliedFactsTable, events: readonly InboundEvent[]): Promise<ExportFact[]> {
  const candidates = uniqueFacts(events.map(toExportFact));
  if (candidates.length === 0) return [];
  const applied: { kind: string; fact_id: string }[] = await manager.query(
    `INSERT INTO ${table} (kind, fact_id)
     SELECT * FROM unnest($1::text[], $2::uuid[])
     ON CONFLICT (kind, fact_id) DO NOTHING
     RETURNING kind, fact_id`,
    [candidates.map((f) => f.kind), candidates.map(factIdOf)],
  );
  const fresh = new Set(applied.map((r) => `${r.kind}:${r.fact_id}`));
  return candidates.filter((f) => fresh.has(`${f.kind}:${factIdOf(f)}`));
}
