import { compareRows, TotalsRow } from '@niryat/simulator';
import { BenchChild } from '@niryat/testing';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './repo-root';
import { BenchContext, hostBusy, namespaceOf, Prepared, samplerOf, ThroughputResult, totalsFingerprint, truthFingerprint } from './pipeline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The report rows of the world's programmes as they are in reporting's schema, shaped as the API gives them. */
async function rowsIn(context: BenchContext, schema: string, programmes: string[]): Promise<TotalsRow[]> {
  const { rows } = await context.db.query<TotalsRow>(
    `SELECT programme, state_code AS "stateCode", to_char(month, 'YYYY-MM') AS month, value_usd_minor::text AS "valueUsdMinor", value_inr_minor::text AS "valueInrMinor",
            orders, exporting_sellers AS "exportingSellers", returns, returns_usd_minor::text AS "returnsUsdMinor", returns_inr_minor::text AS "returnsInrMinor"
       FROM "${schema}".export_totals WHERE programme = ANY($1)`,
    [programmes],
  );
  return rows;
}

/**
 * The same backlog through the naive chain (apps/bench/src/naive-reporting/README.md): the naive
 * exports (`@EventPattern` per record, TypeORM `save` per entity, a ClientKafka `emit` per export
 * after its transaction) and the naive reporting (the same, into reporting's own export_totals),
 * each a process of its own on the platform's schemas, the real exports and reporting stopped.
 * Timed from the naive exports' group joined to the totals counting every export, then every row
 * is compared with the simulator's truth.
 */
export async function runNaiveChain(context: BenchContext, prepared: Prepared): Promise<ThroughputResult> {
  const { stack, record, events } = prepared;
  const namespace = namespaceOf(context, prepared.label);
  const common = { kafkaBrokers: context.kafkaBrokers, databaseUrl: context.databaseUrl, namespace };
  const reporting = new BenchChild(join(REPO_ROOT, 'apps', 'bench', 'src', 'naive-reporting', 'main.ts'), { ...common, schema: stack.schemaOf('reporting') }, { cwd: REPO_ROOT });
  let exporting: BenchChild | undefined;
  const sampler = samplerOf(context, () => ({ 'naive-exports': exporting?.pid ? [exporting.pid] : [], 'naive-reporting': reporting.pid ? [reporting.pid] : [] }));
  const host = hostBusy();
  const failed = (check: string): ThroughputResult => ({ label: 'naive', what: 'the naive chain', ok: false, events, check: `FAILED: ${check}`, usage: sampler.stop() });
  try {
    await reporting.untilJoined();
    exporting = new BenchChild(join(REPO_ROOT, 'apps', 'exports', 'bench', 'naive', 'main.ts'), { ...common, variant: 'naive', schema: stack.schemaOf('exports'), publishExports: true }, { cwd: REPO_ROOT });
    await exporting.untilJoined();
    const started = performance.now();
    sampler.start();
    host.start();
    const expected = truthFingerprint(record);
    const reportingSchema = stack.schemaOf('reporting');
    let seen = '';
    let lastProgress = Date.now();
    const deadline = Date.now() + context.timeoutSeconds * 1000;
    while ((seen = await totalsFingerprint(context.db, reportingSchema, record.programmes)) !== expected) {
      if (Date.now() > deadline) return failed(`totals ${seen} after ${context.timeoutSeconds} s, expected ${expected}`);
      if (exporting.progress.exited || reporting.progress.exited) return failed(`a naive process exited: ${exporting.progress.failure ?? reporting.progress.failure ?? 'no reason given'}`);
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        context.log(`naive: ${seen.split('/')[0]} of ${expected.split('/')[0]} orders in the totals after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const usage = sampler.stop();
    const busy = host.stop();
    exporting.markDone();
    reporting.markDone();
    const differences = compareRows(`${reportingSchema}.export_totals`, record.expected.rows, await rowsIn(context, reportingSchema, record.programmes));
    for (const line of differences.slice(0, 10)) context.log(`naive: DIFFERENCE ${line}`);
    return {
      label: 'naive',
      what: 'the naive chain: @EventPattern per record, TypeORM save per entity',
      ok: differences.length === 0,
      events,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(events / seconds),
      check: differences.length === 0 ? `ok: ${record.expected.rows.length} rows of export_totals equal the truth` : `FAILED: ${differences.length} difference(s), e.g. ${differences[0]}`,
      usage,
      hostBusy: busy,
    };
  } catch (error) {
    return failed((error as Error).message);
  } finally {
    await exporting?.stop();
    await reporting.stop();
  }
}
