import { summarizeLatency } from './report';
import type { Probe } from './pacer';

const probe = (ordinal: number, measured: boolean, sentAt?: number, visibleAt?: number): Probe => ({ seller: ordinal % 6, ordinal, measured, sentAt, visibleAt });

describe('bench:freshness latency summary', () => {
  it('summarises the measured probes only, counts an unseen one over the target, and keeps each probe in send order', () => {
    const summary = summarizeLatency([
      probe(0, false, 0, 5_000), // warm-up: not counted
      probe(1, true, 1_100, 1_400),
      probe(3, true, 1_000, 2_250),
      probe(2, true, 1_050, undefined), // never seen
      probe(4, true, 1_150, 1_250.4),
    ]);
    expect(summary).toMatchObject({ probes: 4, seen: 3, p50Ms: 300, p99Ms: 1_250, maxMs: 1_250, overTarget: 2 });
    expect(summary.series).toEqual([
      [0, 1_250],
      [50, null],
      [100, 300],
      [150, 100],
    ]);
  });
});
