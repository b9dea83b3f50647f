import { progressLine } from './progress-line';

describe('rebuild progress line', () => {
  it('shows the bar, the share done, events, rate and time left', () => {
    const line = progressLine({ phase: 'replaying', applied: 12_345, total: 27_000, ratePerSecond: 4_210.4, etaSeconds: 3.2, elapsedMs: 2_900 }, 20);
    expect(line).toBe('[#########-----------]  45 %  12,345 / 27,000 events  4,210 events/s  4 s left  (replaying)');
  });

  it('says how long it took once done, and -- while no rate is known', () => {
    expect(progressLine({ phase: 'done', applied: 10, total: 10, ratePerSecond: 5, etaSeconds: 0, elapsedMs: 125_000 }, 4)).toBe(
      '[####] 100 %  10 / 10 events  5 events/s  done in 2 min 5 s  (done)',
    );
    expect(progressLine({ phase: 'replaying', applied: 0, total: 1_00_000, ratePerSecond: 0, etaSeconds: null, elapsedMs: 10 }, 4)).toBe(
      '[----]   0 %  0 / 1,00,000 events  0 events/s  -- left  (replaying)',
    );
  });
});
