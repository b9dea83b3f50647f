import { join } from 'node:path';
import { BenchChild } from '@niryat/testing';
import { REPO_ROOT } from './repo-root';
import { BenchContext, namespaceOf, Prepared, samplerOf, ThroughputResult } from './pipeline';

/**
 * The client's ceiling: a plain kafkajs consumer (eachBatch, the service's fetch settings) in a
 * process of its own that only counts the same partner records the pipeline consumed, from its
 * group joined to the last record (`apps/exports/bench/ceiling.ts`, as `bench:exports` runs it).
 */
export async function runCeiling(context: BenchContext, prepared: Prepared): Promise<ThroughputResult> {
  const child = new BenchChild(join(REPO_ROOT, 'apps', 'exports', 'bench', 'ceiling.ts'), {
    variant: 'ceiling',
    kafkaBrokers: context.kafkaBrokers,
    databaseUrl: context.databaseUrl,
    namespace: namespaceOf(context, prepared.label),
    schema: '',
    expectedRecords: prepared.events,
    serviceEnv: {},
    profile: false,
    experiments: {},
  }, { cwd: REPO_ROOT });
  const sampler = samplerOf(context, () => ({ reader: child.pid ? [child.pid] : [] }));
  try {
    const joinedAt = await child.untilJoined();
    sampler.start();
    const deadline = Date.now() + context.timeoutSeconds * 1000;
    while (!child.progress.consumed) {
      if (child.progress.exited || Date.now() > deadline) throw new Error(`the reader ${child.progress.exited ? 'exited' : 'timed out'} before reading every record`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const consumed = child.progress.consumed;
    const seconds = (consumed.at - joinedAt) / 1000;
    return {
      label: 'ceiling',
      what: 'consume-only kafkajs reader of the same records',
      ok: true,
      events: prepared.events,
      seconds,
      eventsPerSecond: Math.round(prepared.events / seconds),
      check: `ok: ${consumed.records} records read`,
      usage: sampler.stop(),
    };
  } catch (error) {
    sampler.stop();
    return { label: 'ceiling', what: 'consume-only kafkajs reader', ok: false, events: prepared.events, check: `FAILED: ${(error as Error).message}`, usage: {} };
  } finally {
    await child.stop();
  }
}
