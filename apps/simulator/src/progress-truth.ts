import { SimProgramme } from './world';

/**
 * Programme progress in the simulator's own arithmetic: cumulative value, value per year and per
 * quarter with its growth, and the milestones crossed, from the net value of each shipment day.
 * Money is US cents as strings of digits (bigint while computing).
 */

/** Milestone k: the first day the programme's running total reached k × its step. */
export interface MilestoneTruth {
  milestone: number;
  thresholdUsdMinor: string;
  reachedOn: string;
  /** Days since the previous milestone was reached, for the first since the programme started. */
  daysSincePrevious: number;
  /** The first later day the running total was below the threshold again (a milestone stays reached). */
  droppedBelowOn: string | null;
  /** At or above the threshold on the last day. */
  held: boolean;
}

export interface ProgrammeProgressTruth {
  programme: string;
  name: string;
  startsOn: string;
  milestoneStepUsd: number;
  cumulativeUsdMinor: string;
  /** Calendar years of the shipment days that have one. */
  yearly: { year: number; usdMinor: string }[];
  /** Calendar quarters from the first with a shipment day to the last, empty ones between included. */
  quarters: { quarter: string; usdMinor: string; growthPercent: string | null }[];
  milestones: MilestoneTruth[];
}

/** The platform lists at most this many milestones of a programme. */
export const MILESTONE_LIMIT = 1_000;

const DAY_MS = 86_400_000;
const daysFrom = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/** US cents as the API's decimal dollars: -1234n → "-12.34". */
export function dollarsOf(cents: bigint): string {
  const magnitude = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}

/** change / base in per cent, one decimal, halves away from zero: (152, 100) → "52.0"; base positive. */
export function growthPercent(change: bigint, base: bigint): string {
  const magnitude = change < 0n ? -change : change;
  let tenths = (magnitude * 1000n) / base;
  if (2n * ((magnitude * 1000n) % base) >= base) tenths += 1n;
  return `${change < 0n && tenths > 0n ? '-' : ''}${tenths / 10n}.${tenths % 10n}`;
}

/**
 * Each threshold at or below the highest running total, found on its own: the first day the
 * running total met it, the first day after that it fell below, and where it ended.
 */
export function milestonesOf(daily: readonly { day: string; usdMinor: bigint }[], stepUsd: number, startsOn: string): MilestoneTruth[] {
  const step = BigInt(stepUsd) * 100n;
  const running: bigint[] = [];
  for (const { usdMinor } of daily) running.push((running.at(-1) ?? 0n) + usdMinor);
  const peak = running.reduce((max, r) => (r > max ? r : max), 0n);
  const count = Math.min(MILESTONE_LIMIT, Number(peak / step));
  const last = running.at(-1) ?? 0n;
  const out: MilestoneTruth[] = [];
  for (let k = 1; k <= count; k++) {
    const threshold = BigInt(k) * step;
    const reached = running.findIndex((r) => r >= threshold);
    const dropped = running.findIndex((r, i) => i > reached && r < threshold);
    const reachedOn = daily[reached].day;
    out.push({
      milestone: k,
      thresholdUsdMinor: threshold.toString(),
      reachedOn,
      daysSincePrevious: daysFrom(out.at(-1)?.reachedOn ?? startsOn, reachedOn),
      droppedBelowOn: dropped < 0 ? null : daily[dropped].day,
      held: last >= threshold,
    });
  }
  return out;
}

/** Net value per calendar quarter, every quarter from the first to the last, and growth on the quarter before when that one was positive. */
export function quartersOf(daily: readonly { day: string; usdMinor: bigint }[]): ProgrammeProgressTruth['quarters'] {
  const ordinal = (day: string) => Number(day.slice(0, 4)) * 4 + Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  const sums = new Map<number, bigint>();
  for (const { day, usdMinor } of daily) sums.set(ordinal(day), (sums.get(ordinal(day)) ?? 0n) + usdMinor);
  if (sums.size === 0) return [];
  const out: ProgrammeProgressTruth['quarters'] = [];
  let before: bigint | undefined;
  for (let q = Math.min(...sums.keys()); q <= Math.max(...sums.keys()); q++) {
    const value = sums.get(q) ?? 0n;
    out.push({ quarter: `${Math.floor(q / 4)}-Q${(q % 4) + 1}`, usdMinor: value.toString(), growthPercent: before !== undefined && before > 0n ? growthPercent(value - before, before) : null });
    before = value;
  }
  return out;
}

/** A programme's progress from its net value per shipment day (sorted by day). */
export function programmeProgress(programme: SimProgramme, daily: readonly { day: string; usdMinor: bigint }[]): ProgrammeProgressTruth {
  const years = new Map<number, bigint>();
  for (const { day, usdMinor } of daily) years.set(Number(day.slice(0, 4)), (years.get(Number(day.slice(0, 4))) ?? 0n) + usdMinor);
  return {
    programme: programme.id,
    name: programme.name,
    startsOn: programme.startsOn,
    milestoneStepUsd: programme.milestoneStepUsd,
    cumulativeUsdMinor: daily.reduce((sum, d) => sum + d.usdMinor, 0n).toString(),
    yearly: [...years].sort(([a], [b]) => a - b).map(([year, usdMinor]) => ({ year, usdMinor: usdMinor.toString() })),
    quarters: quartersOf(daily),
    milestones: milestonesOf(daily, programme.milestoneStepUsd, programme.startsOn),
  };
}
