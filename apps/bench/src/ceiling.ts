import { join } from 'node:path';
import { Forked, REPO_ROOT } from './forked';
import { BenchContext, namespaceOf, Prepared, samplerOf, ThroughputResult } from './pipeline';

/**
 * The client's ceiling: a plain kafkajs consumer (eachBatch, the service's fetch settings) in a
 * process of its own that only counts the same partner records the pipeline consumed, from its
 * group joined to the last record (`apps/exports/bench/ceiling.ts`, as `bench:exports` runs it).
 */
export async function runCeiling(context: BenchContext, prepared: Prepared): Promise<ThroughputResult> {
  const child = new Forked(join(REPO_ROOT, 'apps', 'exports', 'bench', 'ceiling.ts'), {
    variant: 'ceiling',
    kafkaBrokers: context.kafkaBrokers,
    databaseUrl: context.databaseUrl,
    namespace: namespaceOf(context, prepared.label),
    schema: '',
    expectedRecords: prepared.events,
    serviceEnv: {},
    profile: false,
    experiments: {},
  });
  const sampler = samplerOf(context, () => ({ reader: child.pid ? [child.pid] : [] }));
  try {
    const joined = await child.next('joined', 120_000);
    sampler.start();
    const consumed = await child.next('consumed', context.timeoutSeconds * 1000);
    const seconds = ((consumed.at as number) - (joined.at as number)) / 1000;
    return {
      label: 'ceiling',
      what: 'consume-only kafkajs reader of the same records',
      ok: true,
      events: prepared.events,
      seconds,
      eventsPerSecond: Math.round(prepared.events / seconds),
      check: `ok: ${String(consumed.records)} records read`,
      usage: sampler.stop(),
    };
  } catch (error) {
    sampler.stop();
    return { label: 'ceiling', what: 'consume-only kafkajs reader', ok: false, events: prepared.events, check: `FAILED: ${(error as Error).message}`, usage: {} };
  } finally {
    await child.stop();
  }
}
