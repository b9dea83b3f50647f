import { BenchContext, Prepared, ThroughputResult } from './pipeline';

/** The naive chain (apps/bench/src/naive-reporting and apps/exports/bench/naive): being built. */
export async function runNaiveChain(_context: BenchContext, prepared: Prepared): Promise<ThroughputResult> {
  return { label: 'naive', what: 'naive chain', ok: false, events: prepared.events, check: 'FAILED: not built yet', usage: {} };
}
