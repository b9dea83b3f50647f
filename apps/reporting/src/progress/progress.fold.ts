import type { AttributedFact } from '../attribution/export-attribution';

/** One row of progress_daily to add to: a programme's net USD value on a shipment day. */
export interface DailyDelta {
  programme: string;
  day: string;
  valueUsdMinor: bigint;
}

/**
 * Folds a batch of export facts (already deduplicated) into one delta per programme × shipment
 * day: an export counts in each programme it is attributed to (`attributeExport`); an adjustment's
 * negative value lands on the shipment day of the goods, not the day of the return; an export
 * attributed to no programme counts nowhere here.
 */
export function foldDaily(facts: readonly AttributedFact[]): Map<string, DailyDelta> {
  const deltas = new Map<string, DailyDelta>();
  for (const { fact: { payload }, programmes } of facts) {
    for (const programme of new Set(programmes)) {
      const key = `${programme}|${payload.shipmentDate}`;
      const delta = deltas.get(key) ?? { programme, day: payload.shipmentDate, valueUsdMinor: 0n };
      delta.valueUsdMinor += BigInt(payload.valueUsdMinor);
      deltas.set(key, delta);
    }
  }
  return deltas;
}
