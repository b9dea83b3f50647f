import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** `npm run infra -- <args>` as a user runs it (its own process: the scripts load ESM packages jest's VM cannot). */
function infra(...args: string[]): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.DATABASE_URL; // the local pair, as `npm start` runs it
  const result = spawnSync(process.execPath, [join(ROOT, 'tools', 'infra', 'cli.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The local PostgreSQL and Kafka stay a pair: a database never meets a Kafka log it was not first
 * started with (its stored offsets count another log, and would make the services skip records).
 */
describe('local infrastructure keeps its database with its Kafka log (real servers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'niryat-infra-pair-'));
  afterAll(() => {
    infra('stop', '--profile', 'test', '--dir', dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a database paired with another Kafka cluster, naming both and the reset', () => {
    expect(infra('start', '--profile', 'test', '--dir', dir).status).toBe(0);
    expect(infra('stop', '--profile', 'test', '--dir', dir).status).toBe(0);
    // Kafka's data is gone (a new cluster id at the next start), the database is kept.
    rmSync(join(dir, 'kafka'), { recursive: true, force: true });
    const refused = infra('start', '--profile', 'test', '--dir', dir);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/belongs with Kafka cluster \S+, but this Kafka is cluster \S+: .*rm -rf/);
    // What the refused start started, it stopped again: nothing of it runs.
    expect(existsSync(join(dir, 'kafka', 'kafka.pid'))).toBe(false);
  });

  it('gives a fresh pair once the data dir is removed, even when the database lived elsewhere (as root: a cluster the server user could reach)', () => {
    // A parent only root may enter: as root, the PostgreSQL cluster then lives outside the data dir.
    const parent = mkdtempSync(join(tmpdir(), 'niryat-infra-private-'));
    chmodSync(parent, 0o700);
    const local = join(parent, 'local');
    try {
      expect(infra('start', '--profile', 'test', '--dir', local).status).toBe(0);
      expect(infra('stop', '--profile', 'test', '--dir', local).status).toBe(0);
      rmSync(local, { recursive: true, force: true }); // `rm -rf .local`
      const again = infra('start', '--profile', 'test', '--dir', local);
      expect([again.status, again.output.includes('belongs with Kafka cluster')]).toEqual([0, false]);
    } finally {
      infra('stop', '--profile', 'test', '--dir', local);
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
