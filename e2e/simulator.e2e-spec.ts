import { testInfra } from '@niryat/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PlatformStack } from './platform-stack';

interface Row {
  programme: string;
  stateCode: string;
  month: string;
  orders: number;
}
interface FunnelRow {
  programme: string;
  stateCode: string;
  exporting: number;
}
interface Progress {
  programme: string;
  milestones: { milestone: number; reachedOn: string }[];
}
interface RunRecord {
  sent: { events: number; duplicates: number; kafka: number; http: number; garbage: Record<string, number> };
  expected: { rows: Row[]; deadLetters: Record<string, number>; parked: { events: number }[]; views?: { funnel: FunnelRow[]; progress: Progress[] } };
}

/**
 * `npm run simulate` against the four real services: a world created through the public APIs, a
 * stream with duplicates, shuffled orders, garbage and late links over Kafka and signed HTTP, and
 * `verify` finding the platform showing exactly the truth the simulator computed on its own.
 */
describe('npm run simulate and its ground truth (four real services, Kafka, Postgres)', () => {
  const stack = new PlatformStack();
  const dir = mkdtempSync(join(tmpdir(), 'niryat-simulator-'));

  beforeAll(() => stack.withEnv('exports', { PARTNER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }).start(), 180_000);
  afterAll(async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The command as a user runs it, pointed at this stack: its exit code and output. */
  async function simulate(...args: string[]): Promise<{ code: number; output: string }> {
    const env = {
      ...process.env,
      ...stack.simulatorEnv(),
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      NIRYAT_SIMULATOR_DIR: dir,
    };
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'apps/simulator/src/main.ts', ...args], { env, timeout: 200_000 });
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }
  const knobs = ['--seed', '7', '--sellers', '16', '--orders', '150', '--window-days', '90', '--duplicates', '0.1', '--reorder', '0.3', '--garbage', '0.03', '--late-links', '0.2', '--transport', 'mixed'];
  const record = (tag: string) => JSON.parse(readFileSync(join(dir, `${tag}.json`), 'utf8')) as RunRecord;

  it('shows exactly the truth: every report row in the API and on the topic, the funnel, progress and milestones, dead letters by reason, parked events', async () => {
    const run = await simulate('run', ...knobs, '--tag', 'e2ea', '--verify', '--wait', '90');
    expect(run).toMatchObject({
      code: 0,
      output: expect.stringMatching(
        /verify e2ea: no difference \(\d+ API rows and \d+ topic rows of 3 programmes, \d+ dead letters, \d+ parked events checked; seller funnel: \d+ API rows and \d+ topic rows; progress with \d+ milestones\)/,
      ),
    });
    const { sent, expected } = record('e2ea');
    expect(sent.duplicates).toBeGreaterThan(0);
    expect(sent.kafka).toBeGreaterThan(0);
    expect(sent.http).toBeGreaterThan(0);
    expect(Object.keys(sent.garbage).sort()).toEqual(['foreign-seller', 'forged-source', 'impossible-date', 'not-json', 'unknown-account', 'wrong-shape']);
    expect(Object.keys(expected.deadLetters).sort()).toEqual(['EXPORTS.FOREIGN_SELLER_ACCOUNT', 'MESSAGING.INVALID_PAYLOAD', 'MESSAGING.NOT_JSON', 'MESSAGING.SOURCE_MISMATCH']);
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(run.output).toContain(`${expected.rows.length} API rows and ${expected.rows.length} topic rows`);
    const views = expected.views as NonNullable<RunRecord['expected']['views']>;
    const milestones = views.progress.reduce((n, p) => n + p.milestones.length, 0);
    expect(views.funnel.length).toBeGreaterThan(3);
    expect(milestones).toBeGreaterThan(0);
    expect(run.output).toContain(`seller funnel: ${views.funnel.length} API rows and ${views.funnel.length} topic rows; progress with ${milestones} milestones`);

    // A record written before the funnel and progress truth still verifies, saying what it did not check.
    const older = record('e2ea');
    delete older.expected.views;
    writeFileSync(join(dir, 'e2eaolder.json'), JSON.stringify(older));
    const verified = await simulate('verify', '--tag', 'e2eaolder', '--wait', '0');
    expect(verified).toMatchObject({ code: 0, output: expect.stringContaining('no difference') });
    expect(verified.output).toContain('funnel and progress not checked: the record is older than the funnel and progress truth');
  }, 240_000);

  it('is deterministic from its seed, refuses a used tag, and names every difference from a truth the platform does not show', async () => {
    expect((await simulate('run', ...knobs, '--tag', 'e2ea')).output).toContain('programme sim-e2ea-ags exists already');
    expect((await simulate('run', ...knobs, '--tag', 'e2eb', '--verify', '--wait', '90')).code).toBe(0);
    const strip = <R extends { programme: string }>(rows: R[]) => rows.map((r) => ({ ...r, programme: r.programme.replace(/^sim-[a-z0-9]+-/, '') }));
    expect(strip(record('e2eb').expected.rows)).toEqual(strip(record('e2ea').expected.rows));
    expect(strip(record('e2eb').expected.views?.funnel ?? [])).toEqual(strip(record('e2ea').expected.views?.funnel ?? []));

    // A truth that is not what the platform shows: verify names the row and the field, and exits 1.
    const wrong = record('e2eb');
    const [first] = wrong.expected.rows;
    wrong.expected.rows[0] = { ...first, orders: first.orders + 1 };
    writeFileSync(join(dir, 'e2eb.json'), JSON.stringify(wrong));
    const verified = await simulate('verify', '--tag', 'e2eb', '--wait', '0');
    expect(verified.code).toBe(1);
    expect(verified.output).toContain(`DIFFERENCE GET /v1/reports/exports?programme=${first.programme}: row ${first.programme}|${first.stateCode}|${first.month} orders is ${first.orders}, expected ${first.orders + 1}`);
    expect(verified.output).toContain(`DIFFERENCE topic niryat.reporting.export-totals.v2: row ${first.programme}|${first.stateCode}|${first.month} orders is ${first.orders}`);
    // Its funnel and progress were computed with other totals: not checked against this record, and it says so.
    expect(verified.output).toContain('funnel and progress not checked: the export totals were recomputed for another stream');

    // The funnel and milestones of a truth the platform does not show, the totals left as they were.
    const wrongViews = record('e2ea');
    const views = wrongViews.expected.views as NonNullable<RunRecord['expected']['views']>;
    const funnel = views.funnel[0];
    views.funnel[0] = { ...funnel, exporting: funnel.exporting + 1 };
    const progress = views.progress.find((p) => p.milestones.length > 0) as Progress;
    const latest = progress.milestones[progress.milestones.length - 1];
    progress.milestones[progress.milestones.length - 1] = { ...latest, reachedOn: '2001-01-01' };
    writeFileSync(join(dir, 'e2eaviews.json'), JSON.stringify(wrongViews));
    const viewsVerified = await simulate('verify', '--tag', 'e2eaviews', '--wait', '0');
    expect(viewsVerified.code).toBe(1);
    const row = `${funnel.programme}|${funnel.stateCode}`;
    expect(viewsVerified.output).toContain(`DIFFERENCE GET /v1/reports/funnel?programme=${funnel.programme}: row ${row} exporting is ${funnel.exporting}, expected ${funnel.exporting + 1}`);
    expect(viewsVerified.output).toContain(`DIFFERENCE topic niryat.reporting.seller-funnel.v1: row ${row} exporting is ${funnel.exporting}, expected ${funnel.exporting + 1}`);
    const reachedOn = `${latest.milestone} reachedOn is ${latest.reachedOn}, expected 2001-01-01`;
    expect(viewsVerified.output).toContain(`DIFFERENCE GET /v1/reports/progress/${progress.programme}/milestones: milestone ${reachedOn}`);
    expect(viewsVerified.output).toContain(`DIFFERENCE GET /v1/reports/progress: programme ${progress.programme}: latestMilestone ${reachedOn}`);
    expect(viewsVerified.output).toContain('verify e2ea: 4 difference(s)');
  }, 240_000);
});
