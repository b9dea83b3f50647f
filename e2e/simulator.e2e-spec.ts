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
interface RunRecord {
  sent: { events: number; duplicates: number; kafka: number; http: number; garbage: Record<string, number> };
  expected: { rows: Row[]; deadLetters: Record<string, number>; parked: { events: number }[] };
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
      NIRYAT_ONBOARDING_URL: stack.urls.onboarding,
      NIRYAT_EXPORTS_URL: stack.urls.exports,
      NIRYAT_REPORTING_URL: stack.urls.reporting,
      NIRYAT_REGISTRANT_TOKEN: stack.token('registrant'),
      NIRYAT_REVIEWER_TOKEN: stack.token('reviewer'),
      NIRYAT_OPERATOR_TOKEN: stack.token('operator'),
      NIRYAT_ANALYST_TOKEN: stack.token('analyst'),
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      KAFKA_TOPIC_NAMESPACE: stack.namespace,
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

  it('shows exactly the truth: every report row in the API and on the topic, progress, dead letters by reason, parked events', async () => {
    const run = await simulate('run', ...knobs, '--tag', 'e2ea', '--verify', '--wait', '90');
    expect(run).toMatchObject({ code: 0, output: expect.stringMatching(/verify e2ea: no difference \(\d+ API rows and \d+ topic rows of 3 programmes, \d+ dead letters, \d+ parked events checked\)/) });
    const { sent, expected } = record('e2ea');
    expect(sent.duplicates).toBeGreaterThan(0);
    expect(sent.kafka).toBeGreaterThan(0);
    expect(sent.http).toBeGreaterThan(0);
    expect(Object.keys(sent.garbage).sort()).toEqual(['foreign-seller', 'impossible-date', 'not-json', 'unknown-account', 'wrong-shape']);
    expect(Object.keys(expected.deadLetters).sort()).toEqual(['EXPORTS.FOREIGN_SELLER_ACCOUNT', 'MESSAGING.INVALID_PAYLOAD', 'MESSAGING.NOT_JSON']);
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(run.output).toContain(`${expected.rows.length} API rows and ${expected.rows.length} topic rows`);
  }, 240_000);

  it('is deterministic from its seed, refuses a used tag, and names every difference from a truth the platform does not show', async () => {
    expect((await simulate('run', ...knobs, '--tag', 'e2ea')).output).toContain('programme sim-e2ea-ags exists already');
    expect((await simulate('run', ...knobs, '--tag', 'e2eb', '--verify', '--wait', '90')).code).toBe(0);
    const strip = (rows: Row[]) => rows.map((r) => ({ ...r, programme: r.programme.replace(/^sim-[a-z0-9]+-/, '') }));
    expect(strip(record('e2eb').expected.rows)).toEqual(strip(record('e2ea').expected.rows));

    // A truth that is not what the platform shows: verify names the row and the field, and exits 1.
    const wrong = record('e2eb');
    const [first] = wrong.expected.rows;
    wrong.expected.rows[0] = { ...first, orders: first.orders + 1 };
    writeFileSync(join(dir, 'e2eb.json'), JSON.stringify(wrong));
    const verified = await simulate('verify', '--tag', 'e2eb', '--wait', '0');
    expect(verified.code).toBe(1);
    expect(verified.output).toContain(`DIFFERENCE GET /v1/reports/exports?programme=${first.programme}: row ${first.programme}|${first.stateCode}|${first.month} orders is ${first.orders}, expected ${first.orders + 1}`);
    expect(verified.output).toContain(`DIFFERENCE topic niryat.reporting.export-totals.v2: row ${first.programme}|${first.stateCode}|${first.month} orders is ${first.orders}`);
  }, 240_000);
});
