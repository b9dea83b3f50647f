import { ProgrammeSnapshotV1 } from '@niryat/contracts';
import { ExportFact } from '../export-totals/export-totals.fold';

/** One row of progress_daily to add to: a programme's net USD value on a shipment day. */
export interface DailyDelta {
  programme: string;
  day: string;
  valueUsdMinor: bigint;
}

/**
 * Folds a batch of export facts (already deduplicated) into one delta per programme × shipment
 * day: an export counts in each of its programmes (each once); an adjustment's negative value
 * lands on the shipment day of the goods, not the day of the return; an export in no programme
 * counts nowhere here.
 */
export function foldDaily(facts: readonly ExportFact[]): Map<string, DailyDelta> {
  const deltas = new Map<string, DailyDelta>();
  for (const { payload } of facts) {
    for (const programme of new Set(payload.programmes)) {
      const key = `${programme}|${payload.shipmentDate}`;
      const delta = deltas.get(key) ?? { programme, day: payload.shipmentDate, valueUsdMinor: 0n };
      delta.valueUsdMinor += BigInt(payload.valueUsdMinor);
      deltas.set(key, delta);
    }
  }
  return deltas;
}

/** The highest version of each programme in a batch (a multi-row upsert cannot touch one row twice). */
export function latestSnapshots<S extends Pick<ProgrammeSnapshotV1, 'programmeId' | 'version'>>(snapshots: readonly S[]): S[] {
  const latest = new Map<string, S>();
  for (const s of snapshots) {
    const seen = latest.get(s.programmeId);
    if (!seen || s.version > seen.version) latest.set(s.programmeId, s);
  }
  return [...latest.values()];
}
