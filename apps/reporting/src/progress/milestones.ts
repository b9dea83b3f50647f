/**
 * Programme progress, pure: milestones crossed, value per calendar year and progress against the
 * target. Money is integer US cents (bigint) in, decimal strings of dollars and cents out; no floats.
 */

/** A programme's net export value on one shipment day (negative when corrections outweigh exports). */
export interface DailyValue {
  /** YYYY-MM-DD */
  day: string;
  valueUsdMinor: bigint;
}

/**
 * Milestone k: the cumulative value first reached k × step on `reachedOn`.
 *
 * Rule (decided): a milestone is the FIRST crossing. A later drop below the threshold (a day whose
 * net value is negative, e.g. a correction of an export the programme never saw recorded) does not
 * move or remove it: it is reported as `droppedBelowOn` (the first day after the crossing on which
 * the cumulative was below the threshold) and `held` (whether the cumulative is at or above it on
 * the last day). Regaining it later does not count as a new milestone.
 */
export interface Milestone {
  milestone: number;
  thresholdUsdMinor: bigint;
  reachedOn: string;
  /** Days since the previous milestone, or since the programme start for the first (null if no start). */
  daysSincePrevious: number | null;
  droppedBelowOn: string | null;
  held: boolean;
}

/** Stops a tiny step (USD 1 against billions) from producing millions of milestones. */
export const MAX_MILESTONES = 1_000;

const DAY_MS = 86_400_000;

function epochDay(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/**
 * The milestones crossed by a series of daily values sorted by day: every `stepUsd` whole dollars,
 * at most `limit` of them. Several milestones crossed on one day each get an entry (0 days apart).
 */
export function milestones(daily: readonly DailyValue[], stepUsd: number | bigint, startsOn: string | null, limit = MAX_MILESTONES): Milestone[] {
  const step = BigInt(stepUsd) * 100n;
  if (step <= 0n) throw new Error(`milestone step must be positive, got ${stepUsd}`);
  const reached: Milestone[] = [];
  let cumulative = 0n;
  for (const { day, valueUsdMinor } of daily) {
    cumulative += valueUsdMinor;
    // Up: each threshold not yet reached that the cumulative now meets.
    while (reached.length < limit && cumulative >= BigInt(reached.length + 1) * step) {
      const previous = reached.length > 0 ? reached[reached.length - 1].reachedOn : startsOn;
      reached.push({
        milestone: reached.length + 1,
        thresholdUsdMinor: BigInt(reached.length + 1) * step,
        reachedOn: day,
        daysSincePrevious: previous === null ? null : daysBetween(previous, day),
        droppedBelowOn: null,
        held: true,
      });
    }
    // Down: milestones already reached whose threshold is now above the cumulative, highest first.
    for (let i = reached.length - 1; i >= 0 && reached[i].thresholdUsdMinor > cumulative; i--) {
      reached[i].held = false;
      reached[i].droppedBelowOn ??= day;
    }
    // Back up: held again (the first drop stays reported).
    for (const m of reached) if (!m.held && cumulative >= m.thresholdUsdMinor) m.held = true;
  }
  return reached;
}

/**
 * How many milestones `milestones` finds, from the highest cumulative the series ever reached
 * (its peak running total; 0 or less for none): every threshold at or below the peak was reached
 * once, and a milestone, once reached, stays counted. Lets the database sum the days instead of
 * sending them all.
 */
export function milestonesReached(peakCumulativeUsdMinor: bigint, stepUsd: number | bigint, limit = MAX_MILESTONES): number {
  const step = BigInt(stepUsd) * 100n;
  if (step <= 0n) throw new Error(`milestone step must be positive, got ${stepUsd}`);
  if (peakCumulativeUsdMinor < step) return 0;
  const reached = peakCumulativeUsdMinor / step;
  return reached > BigInt(limit) ? limit : Number(reached);
}

export interface YearValue {
  year: number;
  valueUsdMinor: bigint;
}

/** Net value per calendar year of the shipment day, ascending, only years with a day in the series. */
export function yearly(daily: readonly DailyValue[]): YearValue[] {
  const byYear = new Map<number, bigint>();
  for (const { day, valueUsdMinor } of daily) {
    const year = Number(day.slice(0, 4));
    byYear.set(year, (byYear.get(year) ?? 0n) + valueUsdMinor);
  }
  return [...byYear.entries()].sort(([a], [b]) => a - b).map(([year, valueUsdMinor]) => ({ year, valueUsdMinor }));
}

export interface QuarterValue {
  /** Calendar quarter of the shipment days, e.g. `2026-Q3` (July to September). */
  quarter: string;
  valueUsdMinor: bigint;
  /** Growth on the quarter before, one decimal ("52.0"); null for the first quarter or after a quarter with no positive value. */
  growthPercent: string | null;
}

/**
 * Net value per calendar quarter of the shipment day, from the first quarter with a day to the
 * last (a quarter without exports in between is there, with 0), and each quarter's growth on the
 * one before: the "grew 52 % quarter on quarter" of the ODOP programme.
 */
export function quarterly(daily: readonly DailyValue[]): QuarterValue[] {
  const index = (day: string) => Number(day.slice(0, 4)) * 4 + Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  const byQuarter = new Map<number, bigint>();
  for (const { day, valueUsdMinor } of daily) byQuarter.set(index(day), (byQuarter.get(index(day)) ?? 0n) + valueUsdMinor);
  if (byQuarter.size === 0) return [];
  const first = Math.min(...byQuarter.keys());
  const last = Math.max(...byQuarter.keys());
  const result: QuarterValue[] = [];
  for (let q = first; q <= last; q += 1) {
    const value = byQuarter.get(q) ?? 0n;
    const previous = q > first ? (byQuarter.get(q - 1) ?? 0n) : null;
    result.push({
      quarter: `${Math.floor(q / 4)}-Q${(q % 4) + 1}`,
      valueUsdMinor: value,
      growthPercent: previous !== null && previous > 0n ? percent(value - previous, previous) : null,
    });
  }
  return result;
}

export function total(daily: readonly DailyValue[]): bigint {
  return daily.reduce((sum, d) => sum + d.valueUsdMinor, 0n);
}

/** Integer cents as a decimal string of dollars and cents: 100000000000n → "1000000000.00". */
export function usd(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** part / whole as a percentage with one decimal, rounded half away from zero: "23.1". */
export function percent(part: bigint, whole: bigint): string {
  if (whole <= 0n) throw new Error('percentage of a non-positive whole');
  const negative = part < 0n;
  const abs = negative ? -part : part;
  const tenths = (abs * 1000n * 2n + whole) / (whole * 2n);
  return `${negative && tenths > 0n ? '-' : ''}${tenths / 10n}.${tenths % 10n}`;
}

export type TargetBasis = 'cumulative' | 'annual';

export interface TargetInput {
  exportTargetUsd: number | bigint | null;
  basis: TargetBasis | null;
  deadline: string | null;
}

export interface TargetProgress {
  basis: TargetBasis;
  /** For an annual target, the calendar year measured; null for a cumulative one. */
  year: number | null;
  /** For an annual target, true while `year` is the current (incomplete) year. */
  yearToDate: boolean;
  achievedUsdMinor: bigint;
  targetUsdMinor: bigint;
  /** Achieved as a percentage of the target, one decimal. */
  percent: string;
}

/**
 * Progress against the target on `asOf`:
 * - cumulative basis: all value to date (shipment days up to `asOf`) against the target;
 * - annual basis: the current calendar year's value to date against the target, falling back to
 *   the latest full year before it when the current year has no value yet (early January).
 * Null when the programme has no target.
 */
export function targetProgress(daily: readonly DailyValue[], target: TargetInput, asOf: string): TargetProgress | null {
  if (target.exportTargetUsd === null) return null;
  const targetUsdMinor = BigInt(target.exportTargetUsd) * 100n;
  const toDate = daily.filter((d) => d.day <= asOf);
  const basis = target.basis ?? 'cumulative';
  if (basis === 'cumulative') {
    const achieved = total(toDate);
    return { basis, year: null, yearToDate: false, achievedUsdMinor: achieved, targetUsdMinor, percent: percent(achieved, targetUsdMinor) };
  }
  const currentYear = Number(asOf.slice(0, 4));
  const years = yearly(toDate);
  const current = years.find((y) => y.year === currentYear);
  const measured = current ?? [...years].reverse().find((y) => y.year < currentYear) ?? { year: currentYear, valueUsdMinor: 0n };
  return {
    basis,
    year: measured.year,
    yearToDate: measured.year === currentYear,
    achievedUsdMinor: measured.valueUsdMinor,
    targetUsdMinor,
    percent: percent(measured.valueUsdMinor, targetUsdMinor),
  };
}

/** Days from `asOf` to the deadline (negative once passed); null without a deadline. */
export function daysToDeadline(deadline: string | null, asOf: string): number | null {
  return deadline === null ? null : daysBetween(asOf, deadline);
}
