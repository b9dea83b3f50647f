import { createHash } from 'node:crypto';
import { FunnelRow, funnelRows } from './funnel-truth';
import { ProgrammeProgressTruth, programmeProgress } from './progress-truth';
import { GroundTruth, TotalsRow } from './truth';
import { World } from './world';

/** What the seller funnel and programme progress of a world's programmes must say once its stream is applied. */
export interface ViewsTruth {
  /**
   * The export-totals rows these views were computed with (`rowsFingerprint`): a record whose rows
   * were recomputed for more orders (the benchmark's freshness runs add some) carries views of
   * another stream, and verify says so instead of checking them.
   */
  rowsFingerprint: string;
  funnel: FunnelRow[];
  progress: ProgrammeProgressTruth[];
}

export const rowsFingerprint = (rows: readonly TotalsRow[]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);

/** The funnel and progress truth of a world, once `truth` has counted every order of its stream. */
export function viewsTruth(world: World, truth: GroundTruth): ViewsTruth {
  return {
    rowsFingerprint: rowsFingerprint(truth.rows()),
    funnel: funnelRows(world, (programme) => truth.exportingSellers(programme)),
    progress: world.programmes.map((p) => programmeProgress(p, truth.dailyUsdMinor(p.id))),
  };
}
