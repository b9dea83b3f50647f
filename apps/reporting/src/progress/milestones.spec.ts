import { seededRandom } from '@niryat/testing';
import { todayInIndia } from './progress.controller';
import { DailyValue, daysBetween, daysToDeadline, milestones, milestonesReached, percent, quarterly, targetProgress, usd, yearly } from './milestones';

/** Whole dollars → cents, for readable cases. */
const d = (day: string, dollars: number): DailyValue => ({ day, valueUsdMinor: BigInt(dollars) * 100n });

describe('milestones', () => {
  it('counts days from the programme start, then from the previous milestone; several on one day are 0 days apart', () => {
    const series = [d('2020-01-11', 60), d('2020-02-01', 50), d('2020-03-01', 250)];
    // Cumulative: 60, 110 (≥100 on 1 Feb), 360 (≥200 and ≥300 on 1 Mar). 2020 is a leap year: Feb has 29 days.
    expect(milestones(series, 100, '2020-01-01')).toEqual([
      { milestone: 1, thresholdUsdMinor: 10_000n, reachedOn: '2020-02-01', daysSincePrevious: 31, droppedBelowOn: null, held: true },
      { milestone: 2, thresholdUsdMinor: 20_000n, reachedOn: '2020-03-01', daysSincePrevious: 29, droppedBelowOn: null, held: true },
      { milestone: 3, thresholdUsdMinor: 30_000n, reachedOn: '2020-03-01', daysSincePrevious: 0, droppedBelowOn: null, held: true },
    ]);
  });

  it('reaches a milestone on exactly the threshold, and not a cent before', () => {
    expect(milestones([d('2022-06-01', 100)], 100, null).map((m) => m.reachedOn)).toEqual(['2022-06-01']);
    expect(milestones([{ day: '2022-06-01', valueUsdMinor: 9_999n }], 100, null)).toEqual([]);
  });

  it('has no first duration without a programme start', () => {
    expect(milestones([d('2022-06-01', 100)], 100, null)[0].daysSincePrevious).toBeNull();
  });

  it('keeps the first crossing when a correction drops the cumulative below it, reports the drop, and counts regaining it as nothing new', () => {
    const series = [d('2021-01-01', 120), d('2021-02-01', -30), d('2021-03-01', 5), d('2021-04-01', 200)];
    // Cumulative: 120 (m1), 90 (below m1 from 1 Feb), 95 (still below), 295 (m1 held again, m2 reached).
    expect(milestones(series, 100, '2020-12-01')).toEqual([
      { milestone: 1, thresholdUsdMinor: 10_000n, reachedOn: '2021-01-01', daysSincePrevious: 31, droppedBelowOn: '2021-02-01', held: true },
      // 1 Jan → 1 Apr 2021: 31 + 28 + 31 = 90 days, from the first crossing of m1, not its regaining.
      { milestone: 2, thresholdUsdMinor: 20_000n, reachedOn: '2021-04-01', daysSincePrevious: 90, droppedBelowOn: null, held: true },
    ]);
    // Stopping before the recovery: m1 is still reported, not held.
    expect(milestones(series.slice(0, 3), 100, '2020-12-01')).toEqual([
      { milestone: 1, thresholdUsdMinor: 10_000n, reachedOn: '2021-01-01', daysSincePrevious: 31, droppedBelowOn: '2021-02-01', held: false },
    ]);
  });

  it('drops only the milestones above the new cumulative', () => {
    const crossed = milestones([d('2021-01-01', 250), d('2021-01-02', -80)], 100, null);
    // 250 → 170: below 200 only.
    expect(crossed.map((m) => [m.milestone, m.droppedBelowOn, m.held])).toEqual([
      [1, null, true],
      [2, '2021-01-02', false],
    ]);
  });

  it('counts billions beyond the safe integer range of cents and caps the number of milestones', () => {
    const billion = 1_000_000_000;
    const crossed = milestones([d('2018-05-20', 1_050_000_000), d('2019-10-14', 1_000_000_000)], billion, '2015-05-01');
    expect(crossed.map((m) => [usd(m.thresholdUsdMinor), m.reachedOn, m.daysSincePrevious])).toEqual([
      ['1000000000.00', '2018-05-20', 1115],
      ['2000000000.00', '2019-10-14', 512],
    ]);
    expect(milestones([d('2020-01-01', 1_000_000)], 1, null, 5)).toHaveLength(5);
  });

  it('refuses a step that is not positive', () => {
    expect(() => milestones([], 0, null)).toThrow('milestone step must be positive');
    expect(() => milestonesReached(100n, 0)).toThrow('milestone step must be positive');
  });

  it('counts as many milestones from the peak cumulative as the walk over the days finds', () => {
    const random = seededRandom(20_261_122);
    for (let series = 0; series < 500; series++) {
      const days: DailyValue[] = [];
      let peak = 0n;
      let cumulative = 0n;
      for (let i = 0, n = Math.floor(random() * 30); i < n; i++) {
        // Mostly exports, some corrections bigger than a day's exports.
        const dollars = Math.floor((random() - 0.3) * 400);
        days.push({ day: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), valueUsdMinor: BigInt(dollars) * 100n + BigInt(Math.floor(random() * 100)) });
        cumulative += days[days.length - 1].valueUsdMinor;
        if (cumulative > peak) peak = cumulative;
      }
      const step = 1 + Math.floor(random() * 300);
      const limit = 1 + Math.floor(random() * 20);
      expect([series, milestonesReached(peak, step, limit)]).toEqual([series, milestones(days, step, null, limit).length]);
    }
    expect(milestonesReached(-5n, 1)).toBe(0);
  });
});

describe('India\u2019s calendar', () => {
  it('measures progress on the day in India: 23:59 IST on 31 December is that day, 00:01 IST the next is the new year', () => {
    expect(todayInIndia(Date.parse('2026-12-30T18:31:00Z'))).toBe('2026-12-31'); // 00:01 IST, 31 December
    expect(todayInIndia(Date.parse('2026-12-31T18:29:00Z'))).toBe('2026-12-31'); // 23:59 IST
    expect(todayInIndia(Date.parse('2026-12-31T18:31:00Z'))).toBe('2027-01-01'); // 00:01 IST, 1 January; UTC still says 31 December
    // The year's target and the quarters then follow that day.
    const days: DailyValue[] = [{ day: '2026-12-31', valueUsdMinor: 100n }, { day: '2027-01-01', valueUsdMinor: 50n }];
    expect(yearly(days).map((y) => y.year)).toEqual([2026, 2027]);
    expect(quarterly(days).map((q) => q.quarter)).toEqual(['2026-Q4', '2027-Q1']);
  });
});

describe('quarter on quarter', () => {
  const day = (d: string, usdCents: number): DailyValue => ({ day: d, valueUsdMinor: BigInt(usdCents) });

  it('sums each calendar quarter and gives its growth on the one before: the ODOP programme\u2019s 52 %', () => {
    expect(quarterly([day('2026-01-05', 60_000), day('2026-03-31', 40_000), day('2026-04-01', 100_000), day('2026-06-30', 52_000), day('2026-07-10', 76_000)])).toEqual([
      { quarter: '2026-Q1', valueUsdMinor: 100_000n, growthPercent: null },
      { quarter: '2026-Q2', valueUsdMinor: 152_000n, growthPercent: '52.0' },
      { quarter: '2026-Q3', valueUsdMinor: 76_000n, growthPercent: '-50.0' },
    ]);
  });

  it('keeps an empty quarter between two (0, and no growth after it), crosses the year, and is empty without days', () => {
    expect(quarterly([day('2025-11-30', 10_000), day('2026-07-01', 30_000), day('2026-04-02', 0)]).map((q) => [q.quarter, q.valueUsdMinor, q.growthPercent])).toEqual([
      ['2025-Q4', 10_000n, null],
      ['2026-Q1', 0n, '-100.0'],
      ['2026-Q2', 0n, null],
      ['2026-Q3', 30_000n, null],
    ]);
    expect(quarterly([])).toEqual([]);
  });
});

describe('yearly, money and percentages', () => {
  it('nets each calendar year, negative days included', () => {
    expect(yearly([d('2019-12-31', 10), d('2020-01-01', 5), d('2020-06-30', -2), d('2022-03-01', 7)])).toEqual([
      { year: 2019, valueUsdMinor: 1_000n },
      { year: 2020, valueUsdMinor: 300n },
      { year: 2022, valueUsdMinor: 700n },
    ]);
  });

  it('writes cents as dollars and cents, never through a float', () => {
    expect(usd(100_000_000_000n)).toBe('1000000000.00');
    expect(usd(123_456n)).toBe('1234.56');
    expect(usd(0n)).toBe('0.00');
    expect(usd(-5n)).toBe('-0.05');
    expect(usd(2n ** 63n - 1n)).toBe('92233720368547758.07');
  });

  it('gives percentages with one decimal, rounded half away from zero', () => {
    expect(percent(230n, 1_000n)).toBe('23.0');
    expect(percent(1n, 3n)).toBe('33.3');
    expect(percent(2n, 3n)).toBe('66.7');
    expect(percent(1n, 2_000n)).toBe('0.1'); // 0.05 %
    expect(percent(-1n, 3n)).toBe('-33.3');
    expect(percent(3n, 2n)).toBe('150.0');
  });

  it('counts days across leap years', () => {
    expect(daysBetween('2015-05-01', '2018-05-01')).toBe(1_096); // 365 + 366 + 365
    expect(daysToDeadline('2025-12-31', '2026-11-21')).toBe(-325);
    expect(daysToDeadline('2025-12-31', '2025-12-01')).toBe(30);
    expect(daysToDeadline(null, '2025-12-01')).toBeNull();
  });
});

describe('progress against the target', () => {
  const series = [d('2023-03-01', 400), d('2024-05-01', 300), d('2025-02-01', 50), d('2025-12-01', 1_000)];

  it('compares everything shipped by the day measured with a cumulative target', () => {
    expect(targetProgress(series, { exportTargetUsd: 1_000, basis: 'cumulative', deadline: '2025-12-31' }, '2025-06-30')).toEqual({
      basis: 'cumulative',
      year: null,
      yearToDate: false,
      achievedUsdMinor: 75_000n, // 400 + 300 + 50; the December shipment is after the day measured
      targetUsdMinor: 100_000n,
      percent: '75.0',
    });
  });

  it('compares the current year to date with an annual target, or the latest full year before any value this year', () => {
    const annual = { exportTargetUsd: 400, basis: 'annual' as const, deadline: null };
    expect(targetProgress(series, annual, '2025-06-30')).toMatchObject({ year: 2025, yearToDate: true, achievedUsdMinor: 5_000n, percent: '12.5' });
    expect(targetProgress(series, annual, '2025-01-15')).toMatchObject({ year: 2024, yearToDate: false, achievedUsdMinor: 30_000n, percent: '75.0' });
    expect(targetProgress([], annual, '2025-01-15')).toMatchObject({ year: 2025, yearToDate: true, achievedUsdMinor: 0n, percent: '0.0' });
  });

  it('has no progress without a target', () => {
    expect(targetProgress(series, { exportTargetUsd: null, basis: null, deadline: null }, '2025-06-30')).toBeNull();
  });
});
