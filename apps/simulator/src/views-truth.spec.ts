import { funnelRows } from './funnel-truth';
import { planOrders, PlannedOrder } from './orders';
import { growthPercent, milestonesOf, programmeProgress, quartersOf } from './progress-truth';
import { SimulationRecord } from './simulation';
import { GroundTruth } from './truth';
import { compareFunnel, compareMilestones, compareProgress, milestoneView, verifyViews } from './verify-views';
import { rowsFingerprint, viewsTruth } from './views-truth';
import { planWorld, SimSeller, World } from './world';

const NOW = Date.parse('2026-12-06T10:00:00Z');
const RATES = [{ currency: 'USD', effectiveFrom: '2020-01-01', inrPerUnit: '83' }, ...['GBP', 'EUR', 'AED', 'CAD', 'AUD', 'SGD', 'JPY'].map((c) => ({ currency: c, effectiveFrom: '2020-01-01', inrPerUnit: '50' }))];
const planned = (sellers = 60) => planWorld({ seed: 3, tag: 'views', sellers, lateLinks: 0.2, windowDays: 120, now: NOW });

/** A world of the given sellers under the planned world's programmes (`ags`, `odop`, `vriddhi` stand for their ids). */
function worldOf(...sellers: Partial<SimSeller>[]): World {
  const base = planned(1);
  const id = (short: string) => `sim-views-${short}`;
  return {
    ...base,
    sellers: sellers.map((s, index) => ({
      ...base.sellers[0],
      index,
      unapproved: false,
      enrolments: [],
      accounts: [],
      ...s,
      programmes: (s.programmes ?? []).map(id),
      ...(s.enrolments ? { enrolments: s.enrolments.map((e) => ({ ...e, programmeId: id(e.programmeId) })) } : {}),
    })),
  };
}

describe('the simulator: the seller funnel it expects', () => {
  it('counts each seller once per programme where it is, at every stage it reached, a later stage implying the earlier', () => {
    const since = '2025-01-01';
    const world = worldOf(
      { stateCode: '09', programmes: ['odop', 'vriddhi'], enrolments: [{ programmeId: 'odop', since }] }, // exports in ODOP
      { stateCode: '09', programmes: ['odop'], unapproved: true }, // never reviewed
      { stateCode: '33', programmes: ['ags'], enrolments: [{ programmeId: 'ags', since }] },
      { stateCode: '33', programmes: ['ags'] }, // approved, never enrolled
    );
    const exporting = (programme: string) => new Set(programme === 'sim-views-odop' ? [0] : []);
    expect(funnelRows(world, exporting)).toEqual([
      { programme: 'sim-views-ags', stateCode: '33', registered: 2, approved: 2, enrolled: 1, exporting: 0 },
      { programme: 'sim-views-odop', stateCode: '09', registered: 2, approved: 1, enrolled: 1, exporting: 1 },
      { programme: 'sim-views-vriddhi', stateCode: '09', registered: 1, approved: 1, enrolled: 0, exporting: 0 },
    ]);
  });

  it('narrows in every row of a planned world, and counts every registration once', () => {
    const world = planned();
    const truth = new GroundTruth(world, RATES);
    for (const order of planOrders(world, 400, 3)) truth.add(order);
    const rows = viewsTruth(world, truth).funnel;
    for (const r of rows) expect(r.registered >= r.approved && r.approved >= r.enrolled && r.enrolled >= r.exporting).toBe(true);
    expect(rows.some((r) => r.registered > r.approved) && rows.some((r) => r.approved > r.enrolled) && rows.some((r) => r.exporting > 0)).toBe(true);
    expect(rows.reduce((n, r) => n + r.registered, 0)).toBe(world.sellers.reduce((n, s) => n + s.programmes.length, 0));
    expect(rows.filter((r) => r.programme === world.programmes[1].id).map((r) => r.stateCode)).toEqual(['09']); // ODOP is Uttar Pradesh's
  });
});

describe('the simulator: the programme progress it expects', () => {
  it('puts a return on the shipment day of its goods, and makes its seller exporting whatever came back', () => {
    const world = worldOf({ stateCode: '33', programmes: ['ags'], enrolments: [{ programmeId: 'ags', since: '2025-01-01' }] });
    const account = { marketplace: 'amazon' as const, accountId: 'AMZ-VIEWS-0001', linkLate: false };
    const payload = { orderId: 'SIM-VIEWS-1', sellerAccountId: account.accountId, destinationCountry: 'US', currency: 'USD' };
    const order: PlannedOrder = {
      partner: 'amazon',
      orderId: payload.orderId,
      sellerIndex: 0,
      account,
      events: [
        { kind: 'shipped', payload: { ...payload, eventId: 'e2', sequence: 2, occurredAt: '2026-11-30T10:00:00Z', lines: [{ lineId: 'L1', sku: 'S', hsCode: '61091000', quantity: 10, unitPriceMinor: 1_250 }] } },
        { kind: 'returned', payload: { ...payload, eventId: 'e3', sequence: 3, occurredAt: '2026-12-04T10:00:00Z', lines: [{ lineId: 'L1', quantity: 4 }] } },
      ],
    };
    const truth = new GroundTruth(world, RATES);
    truth.add(order);
    expect(truth.dailyUsdMinor('sim-views-ags')).toEqual([{ day: '2026-11-30', usdMinor: 7_500n }]);
    expect([...truth.exportingSellers('sim-views-ags')]).toEqual([0]);
    expect(truth.dailyUsdMinor('sim-views-odop')).toEqual([]);
  });

  it('finds each milestone on the first day the running total reached it, and says when it fell below again', () => {
    // Step USD 10: running totals 6, 11, 36, 24, 31 (dollars).
    const daily = [
      { day: '2026-01-10', usdMinor: 600n },
      { day: '2026-01-12', usdMinor: 500n },
      { day: '2026-02-01', usdMinor: 2_500n },
      { day: '2026-02-03', usdMinor: -1_200n },
      { day: '2026-03-01', usdMinor: 700n },
    ];
    expect(milestonesOf(daily, 10, '2026-01-01')).toEqual([
      { milestone: 1, thresholdUsdMinor: '1000', reachedOn: '2026-01-12', daysSincePrevious: 11, droppedBelowOn: null, held: true },
      { milestone: 2, thresholdUsdMinor: '2000', reachedOn: '2026-02-01', daysSincePrevious: 20, droppedBelowOn: null, held: true },
      { milestone: 3, thresholdUsdMinor: '3000', reachedOn: '2026-02-01', daysSincePrevious: 0, droppedBelowOn: '2026-02-03', held: true },
    ]);
    // Ending below: not held, and not a new milestone when the total only regains an old one.
    expect(milestonesOf(daily.slice(0, 4), 10, '2026-01-01').map((m) => [m.milestone, m.held])).toEqual([[1, true], [2, true], [3, false]]);
    expect(milestonesOf([{ day: '2026-01-10', usdMinor: -500n }], 10, '2026-01-01')).toEqual([]);
  });

  it('adds value per quarter, empty quarters between included, with growth on a positive quarter before', () => {
    const daily = [
      { day: '2026-01-05', usdMinor: 10_000n },
      { day: '2026-04-01', usdMinor: 15_200n },
      { day: '2026-12-31', usdMinor: 500n },
    ];
    expect(quartersOf(daily)).toEqual([
      { quarter: '2026-Q1', usdMinor: '10000', growthPercent: null },
      { quarter: '2026-Q2', usdMinor: '15200', growthPercent: '52.0' },
      { quarter: '2026-Q3', usdMinor: '0', growthPercent: '-100.0' },
      { quarter: '2026-Q4', usdMinor: '500', growthPercent: null },
    ]);
    // One decimal, halves away from zero.
    expect([growthPercent(1n, 3n), growthPercent(1n, 16n), growthPercent(-1n, 16n), growthPercent(0n, 7n), growthPercent(-1n, 100_000n)]).toEqual(['33.3', '6.3', '-6.3', '0.0', '0.0']);
  });

  it('agrees with the export totals it expects: the same value per programme, in its years', () => {
    const world = planned();
    const truth = new GroundTruth(world, RATES);
    for (const order of planOrders(world, 400, 3)) truth.add(order);
    for (const p of world.programmes) {
      const progress = programmeProgress(p, truth.dailyUsdMinor(p.id));
      const fromRows = truth.rows().filter((r) => r.programme === p.id).reduce((sum, r) => sum + BigInt(r.valueUsdMinor), 0n);
      expect(progress.cumulativeUsdMinor).toBe(fromRows.toString());
      expect(progress.yearly.reduce((sum, y) => sum + BigInt(y.usdMinor), 0n)).toBe(fromRows);
      expect(progress.milestones.length).toBe(Number(fromRows / (BigInt(p.milestoneStepUsd) * 100n))); // returns land on their shipment day: no day is negative
    }
  });
});

describe('simulate verify: the funnel and progress differences it names', () => {
  it('names the row and the stage of a funnel that differs, and rows missing or too many', () => {
    const expected = [{ programme: 'sim-a-ags', stateCode: '09', registered: 3, approved: 2, enrolled: 2, exporting: 1 }];
    expect(compareFunnel('GET f', expected, [{ ...expected[0], exporting: 2, stateName: 'Uttar Pradesh' }, { ...expected[0], stateCode: '33' }])).toEqual([
      'GET f: row sim-a-ags|09 exporting is 2, expected 1',
      'GET f: row sim-a-ags|33 is there and should not be',
    ]);
    expect(compareFunnel('topic', expected, [])).toEqual(['topic: row sim-a-ags|09 missing (expected registered 3, approved 2, enrolled 2, exporting 1)']);
  });

  it('names the milestone and its field, in the list and as the latest of the progress', () => {
    const truth = milestonesOf([{ day: '2026-01-12', usdMinor: 1_500n }, { day: '2026-02-01', usdMinor: 600n }], 10, '2026-01-01');
    const api = truth.map(milestoneView);
    expect(api[0]).toEqual({ milestone: 1, thresholdUsd: '10.00', reachedOn: '2026-01-12', daysSincePrevious: 11, droppedBelowOn: null, held: true });
    expect(compareMilestones('GET m', truth, [{ ...api[0] }, { ...api[1], reachedOn: '2026-02-02' }])).toEqual(['GET m: milestone 2 reachedOn is 2026-02-02, expected 2026-02-01']);
    const progress = programmeProgress({ ...planned(1).programmes[0], milestoneStepUsd: 10 }, [{ day: '2026-01-12', usdMinor: 1_500n }, { day: '2026-02-01', usdMinor: 600n }]);
    const actual = { programme: progress.programme, name: progress.name, startsOn: progress.startsOn, milestoneStepUsd: '10.00', milestonesReached: 1, yearly: [{ year: 2026, valueUsd: '21.00' }], latestMilestone: api[0] };
    expect(compareProgress('GET p', progress, actual)).toEqual([
      `GET p: programme ${progress.programme} milestonesReached is 1, expected 2`,
      `GET p: programme ${progress.programme}: latestMilestone 2 missing (expected thresholdUsd 20.00, reachedOn 2026-02-01, daysSincePrevious 20, droppedBelowOn null, held true)`,
      `GET p: programme ${progress.programme}: latestMilestone 1 is there and should not be`,
    ]);
  });

  it('leaves the views of an older record, or of a record whose totals were recomputed, unchecked and says why', async () => {
    const nowhere = { urls: { onboarding: 'http://127.0.0.1:9', exports: 'http://127.0.0.1:9', reporting: 'http://127.0.0.1:9' }, tokens: { registrant: '', reviewer: '', operator: '', analyst: '' }, kafkaBrokers: ['127.0.0.1:9'] };
    const rows = [{ programme: 'sim-a-ags', stateCode: '09', month: '2026-11', valueUsdMinor: '100', valueInrMinor: '8300', orders: 1, exportingSellers: 1, returns: 0, returnsUsdMinor: '0', returnsInrMinor: '0' }];
    const record = (views?: SimulationRecord['expected']['views']) => ({ programmes: ['sim-a-ags'], expected: { rows, cumulativeUsdMinor: {}, deadLetters: {}, parked: [], views } }) as unknown as SimulationRecord;
    await expect(verifyViews(nowhere, record())).resolves.toMatchObject({ differences: [], checked: { skipped: 'the record is older than the funnel and progress truth' } });
    const stale = { rowsFingerprint: rowsFingerprint([{ ...rows[0], orders: 2 }]), funnel: [], progress: [] };
    await expect(verifyViews(nowhere, record(stale))).resolves.toMatchObject({ differences: [], checked: { skipped: expect.stringContaining('recomputed') } });
  });
});
