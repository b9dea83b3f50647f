import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root';
import { BenchContext, Prepared, samplerOf, totalsFingerprint, truthFingerprint } from './pipeline';
import { ServiceUsage } from './process-sampler';

export interface RebuildResult {
  ok: boolean;
  /** Records the rebuild applied, over every domain topic reporting reads. */
  records?: number;
  seconds?: number;
  eventsPerSecond?: number;
  check: string;
  usage: Record<string, ServiceUsage>;
}

/**
 * `npm run rebuild:reporting` on the pipeline's platform, as an operator runs it: every reporting
 * view rebuilt from offset zero of the domain topics into a fresh schema while the service runs,
 * then swapped in. Its own figures (records applied, seconds) are the result; the swapped-in totals
 * must still equal the truth.
 */
export async function runRebuild(context: BenchContext, prepared: Prepared): Promise<RebuildResult> {
  const env = prepared.stack.of('reporting')[0].env;
  const child = spawn(process.execPath, ['-r', join(REPO_ROOT, 'tools', 'run', 'dist-paths.js'), join(REPO_ROOT, 'dist', 'apps', 'reporting', 'src', 'rebuild.js')], {
    cwd: REPO_ROOT,
    env: { ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = samplerOf(context, () => ({ rebuild: child.pid && child.exitCode === null ? [child.pid] : [], reporting: prepared.stack.pidsOf('reporting') }));
  sampler.start();
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const usage = sampler.stop();
  const match = /\(([\d,]+) records in ([\d.]+) s\)/.exec(out);
  if (code !== 0 || !match) return { ok: false, check: `FAILED: the rebuild exited ${code}: ${(err || out).trim().split('\n').slice(-3).join(' | ')}`, usage };
  const records = Number(match[1].replace(/,/g, ''));
  const seconds = Number(match[2]);
  const seen = await totalsFingerprint(context.db, prepared.stack.schemaOf('reporting'), prepared.record.programmes);
  const expected = truthFingerprint(prepared.record);
  return {
    ok: seen === expected,
    records,
    seconds,
    eventsPerSecond: Math.round(records / seconds),
    check: seen === expected ? 'ok: the rebuilt totals equal the truth' : `FAILED: rebuilt totals ${seen}, expected ${expected}`,
    usage,
  };
}
