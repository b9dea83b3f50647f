import { ExportAdjusted, ExportAdjustedV1, ExportRecorded, ExportRecordedV1, toKafkaHeaders, Topics, TopicSpecs } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { BenchChild, eventually, serviceTestEnv, testInfra, uniqueSuffix } from '@niryat/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import type { NaiveReportingConfig } from './main';
import { NAIVE_REPORTING_GROUP } from './naive-export-totals.service';

/**
 * The naive reporting gives exactly the export_totals of the reporting service: the real service
 * (its source, in a process of its own, as `npm start` runs it) and the naive process read one
 * ExportRecorded / ExportAdjusted stream on one namespace into two schemas made by reporting's
 * migrations, with the same programme catalogue. Both are held to rows worked out by hand, and to
 * each other in every table the naive reporting writes.
 */
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const namespace = `t-naive-rep-${uniqueSuffix()}`;
/** The real service's one consumer group, as it names itself in its inbox (apps/reporting/src/reporting-views.ts). */
const REPORTING_GROUP = 'reporting.views';

const VRIDDHI = 'walmart-vriddhi';
const ODOP = 'flipkart-walmart-odop-up';
const AGS = 'amazon-global-selling';
/** Enrolled in, but never defined: its exports wait set aside. */
const FUTURE = 'future-programme';
const CATALOGUE: [string, string[]][] = [
  [VRIDDHI, ['walmart']],
  [ODOP, ['flipkart', 'walmart']],
  [AGS, ['amazon']],
];

/** A: UP, two programmes. B: Haryana, Vriddhi. C: UP, none. D: Maharashtra, an unknown programme and AGS. E: Haryana, Vriddhi and AGS, sells on Amazon. */
const A = { sellerId: randomUUID(), stateCode: '09', district: 'Moradabad', programmes: [VRIDDHI, ODOP], partner: 'walmart' };
const B = { sellerId: randomUUID(), stateCode: '06', district: 'Panipat', programmes: [VRIDDHI], partner: 'walmart' };
const C = { sellerId: randomUUID(), stateCode: '09', district: 'Agra', programmes: [] as string[], partner: 'walmart' };
const D = { sellerId: randomUUID(), stateCode: '27', district: 'Kolhapur', programmes: [FUTURE, AGS], partner: 'amazon' };
const E = { sellerId: randomUUID(), stateCode: '06', district: 'Faridabad', programmes: [VRIDDHI, AGS], partner: 'amazon' };
type Seller = typeof A;

const INR_PER_USD = 83;
type Line = [hsCode: string, usd: number];

interface ExportRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

function facts(seller: Seller, exportId: string, shipmentDate: string, destinationCountry: string, lines: Line[]) {
  const usd = lines.reduce((sum, [, v]) => sum + v, 0);
  return {
    exportId,
    partner: seller.partner,
    orderId: `order-${exportId.slice(0, 8)}`,
    sellerId: seller.sellerId,
    stateCode: seller.stateCode,
    district: seller.district,
    classification: 'small',
    programmes: seller.programmes,
    destinationCountry,
    shipmentDate,
    currency: 'USD',
    lines: lines.map(([hsCode, v], i) => ({
      lineId: `line-${i + 1}`,
      hsCode,
      quantity: v < 0 ? -1 : 1,
      valueMinor: v,
      valueUsdMinor: v,
      valueInrMinor: v * INR_PER_USD,
    })),
    valueMinor: usd,
    valueUsdMinor: usd,
    valueInrMinor: usd * INR_PER_USD,
    fxRate: { currency: 'USD', effectiveFrom: '2026-09-01', inrPerUnit: String(INR_PER_USD) },
    usdRate: { currency: 'USD', effectiveFrom: '2026-09-01', inrPerUnit: String(INR_PER_USD) },
  };
}

function record(type: string, payload: { sellerId: string; exportId: string }, id = randomUUID()): ExportRecord {
  return {
    key: payload.sellerId,
    value: JSON.stringify(payload),
    headers: toKafkaHeaders({ id, type, source: '/niryat/exports', time: new Date().toISOString(), subject: `exports/${payload.exportId}`, correlationId: id }),
  };
}

function recorded(seller: Seller, exportId: string, shipmentDate: string, destination: string, lines: Line[]): ExportRecord {
  const payload: ExportRecordedV1 = Object.assign(new ExportRecordedV1(), facts(seller, exportId, shipmentDate, destination, lines), { recordedAt: `${shipmentDate}T12:00:00Z` });
  return record(ExportRecorded.type, payload);
}

function adjusted(seller: Seller, exportId: string, shipmentDate: string, lines: Line[], reason: 'return' | 'return-to-origin', adjustmentDate: string): ExportRecord {
  const payload: ExportAdjustedV1 = Object.assign(new ExportAdjustedV1(), facts(seller, exportId, shipmentDate, 'US', lines), {
    adjustmentId: randomUUID(),
    reason,
    adjustmentDate,
    recordedAt: `${adjustmentDate}T10:00:00Z`,
  });
  return record(ExportAdjusted.type, payload);
}

const [E1, E2, D1] = [randomUUID(), randomUUID(), randomUUID()];
/** USD 1 trillion in cents: two of them take a row's INR past 2^53. */
const HUGE = 100_000_000_000_000;
const first = recorded(A, E1, '2026-09-10', 'US', [['69120010', 10_000], ['44190010', 5_000]]);
const second = recorded(A, E2, '2026-09-20', 'GB', [['69120010', 20_000]]);
const SCRIPT: ExportRecord[] = [
  first,
  second,
  recorded(B, randomUUID(), '2026-09-15', 'US', [['57020010', 7_000]]),
  recorded(A, randomUUID(), '2026-10-05', 'US', [['69120010', 30_000]]),
  recorded(C, randomUUID(), '2026-10-07', 'US', [['69120010', 1_000]]),
  // A returns the chapter-44 line of its first September export in October: September's value falls.
  adjusted(A, E1, '2026-09-10', [['44190010', -5_000]], 'return', '2026-10-12'),
  // Late: B's September shipment recognised after October's.
  recorded(B, randomUUID(), '2026-09-28', 'AE', [['57020010', 3_000]]),
  // D: counted in AGS and '*', set aside for the programme nobody defined; then returned to origin.
  recorded(D, D1, '2026-09-11', 'US', [['69120010', 4_000]]),
  // E sells on Amazon: AGS takes it, Vriddhi (Walmart only) does not.
  recorded(E, randomUUID(), '2026-09-12', 'US', [['57020010', 2_500]]),
  adjusted(D, D1, '2026-09-11', [['69120010', -4_000]], 'return-to-origin', '2026-09-25'),
  recorded(B, randomUUID(), '2026-11-03', 'US', [['57020010', HUGE]]),
  recorded(B, randomUUID(), '2026-11-04', 'US', [['57020010', HUGE]]),
  // Redelivered (same ce_id), re-sent as a new event, re-sent with its id in upper case: each counts once.
  first,
  { ...first, headers: { ...first.headers, ce_id: randomUUID() } },
  record(ExportRecorded.type, { ...(JSON.parse(second.value) as ExportRecordedV1), exportId: E2.toUpperCase() }),
];
const DISTINCT_EVENTS = new Set(SCRIPT.map((r) => r.headers.ce_id)).size;

/** Rows worked out by hand from the script (USD minor; INR = USD × 83), ordered by programme (byte order), state, month. */
const row = (programme: string, stateCode: string, month: string, usd: number, orders: number, sellers: number, returnedUsd = 0, returns = 0) => ({
  programme,
  state_code: stateCode,
  month,
  value_usd_minor: String(usd),
  value_inr_minor: String(BigInt(usd) * BigInt(INR_PER_USD)),
  orders,
  exporting_sellers: sellers,
  returns,
  returns_usd_minor: String(returnedUsd),
  returns_inr_minor: String(returnedUsd * INR_PER_USD),
});
const EXPECTED_TOTALS = [
  row('*', '06', '2026-09-01', 12_500, 3, 2), // B 7 000 + late 3 000, E 2 500
  row('*', '06', '2026-11-01', 2 * HUGE, 2, 1),
  row('*', '09', '2026-09-01', 30_000, 2, 1, 5_000, 1), // A: 15 000 + 20 000 − 5 000 returned
  row('*', '09', '2026-10-01', 31_000, 2, 2), // A 30 000 + C 1 000
  row('*', '27', '2026-09-01', 0, 1, 1, 4_000, 1), // D, back to origin
  row(AGS, '06', '2026-09-01', 2_500, 1, 1),
  row(AGS, '27', '2026-09-01', 0, 1, 1, 4_000, 1),
  row(ODOP, '09', '2026-09-01', 30_000, 2, 1, 5_000, 1),
  row(ODOP, '09', '2026-10-01', 30_000, 1, 1), // C is in no programme
  row(VRIDDHI, '06', '2026-09-01', 10_000, 2, 1), // E's Amazon order is not Vriddhi's
  row(VRIDDHI, '06', '2026-11-01', 2 * HUGE, 2, 1),
  row(VRIDDHI, '09', '2026-09-01', 30_000, 2, 1, 5_000, 1),
  row(VRIDDHI, '09', '2026-10-01', 30_000, 1, 1),
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A TypeScript entry of the repository run from source, as the benches run theirs; `quiet` drops what it logs to stdout. */
function runTs(entry: string, env: Record<string, string>, quiet = false): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the naive reporting against the reporting service (real Kafka and Postgres)', () => {
  const { kafkaBrokers, databaseUrl } = testInfra();
  const db = new Client({ connectionString: databaseUrl });
  const kafka = new KafkaClient({ brokers: kafkaBrokers.split(','), clientId: `test-${namespace}`, topicNamespace: namespace });
  let reporting: ChildProcess | undefined;
  let naive: BenchChild | undefined;

  afterAll(async () => {
    await naive?.stop();
    if (reporting && reporting.exitCode === null) {
      reporting.kill('SIGTERM');
      await exited(reporting);
    }
    await kafka.close();
    await db.end();
  });

  it('writes the export_totals rows the service writes for the same ExportRecorded / ExportAdjusted stream', async () => {
    await db.connect();
    await kafka.ensureTopics(TopicSpecs);
    const realEnv = serviceTestEnv('reporting', namespace, { PORT: String(await freePort()), HOST: '127.0.0.1' });
    const realSchema = realEnv.DB_SCHEMA;
    const naiveSchema = `${realSchema}_naive`;

    // The naive schema: reporting's own migrations, run as its migration step runs them.
    const migration = runTs('apps/reporting/src/migrate.ts', { ...realEnv, DB_SCHEMA: naiveSchema }, true);
    expect(await exited(migration)).toBe(0);
    // The real service migrates its schema as it starts.
    reporting = runTs('apps/reporting/src/main.ts', realEnv);
    const service = reporting;
    await eventually(
      async () => {
        if (service.exitCode !== null) throw new Error(`the reporting service exited (${service.exitCode})`);
        expect((await fetch(`http://127.0.0.1:${realEnv.PORT}/health`)).status).toBe(200);
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    // The catalogue as ProgrammeDefined leaves it, in both schemas, before any export is read.
    for (const schema of [realSchema, naiveSchema]) {
      for (const [programme, marketplaces] of CATALOGUE) {
        await db.query(`INSERT INTO "${schema}".progress_programmes (programme, name, partner, marketplaces, version) VALUES ($1, $1, $2, $3, 1)`, [
          programme,
          marketplaces[0],
          marketplaces,
        ]);
      }
    }

    const producer = await kafka.producer();
    await producer.send({ topic: kafka.topic(Topics.exports), messages: SCRIPT });
    const config: NaiveReportingConfig = { kafkaBrokers, databaseUrl, namespace, schema: naiveSchema };
    naive = new BenchChild(join(__dirname, 'main.ts'), config, { cwd: REPO_ROOT });
    await naive.untilJoined();

    const applied = async (schema: string, group: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".inbox WHERE consumer_group = $1 AND event_source = '/niryat/exports'`, [group])).rows[0].n;
    await eventually(
      async () => {
        expect(await applied(realSchema, REPORTING_GROUP)).toBe(DISTINCT_EVENTS);
        expect(await applied(naiveSchema, NAIVE_REPORTING_GROUP)).toBe(DISTINCT_EVENTS);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );

    const read = async (schema: string, sql: string) => (await db.query(sql.replaceAll('$schema', `"${schema}"`))).rows;
    const totals = (schema: string) =>
      read(
        schema,
        `SELECT programme, state_code, to_char(month, 'YYYY-MM-DD') AS month, value_usd_minor::text, value_inr_minor::text, orders, exporting_sellers,
                returns, returns_usd_minor::text, returns_inr_minor::text
           FROM $schema.export_totals ORDER BY programme COLLATE "C", state_code, month`,
      );
    expect(await totals(realSchema)).toEqual(EXPECTED_TOTALS);
    expect(await totals(naiveSchema)).toEqual(EXPECTED_TOTALS);
    for (const sql of [
      `SELECT programme, state_code, to_char(month, 'YYYY-MM-DD') AS month, seller_id FROM $schema.exporting_seller_months ORDER BY 1, 2, 3, 4`,
      `SELECT kind, fact_id FROM $schema.export_facts_applied ORDER BY 1, 2`,
      `SELECT programme, kind, fact_id, payload FROM $schema.export_attribution_pending ORDER BY 1, 2, 3`,
    ]) {
      expect(await read(naiveSchema, sql)).toEqual(await read(realSchema, sql));
    }
    expect(await read(naiveSchema, `SELECT programme, kind FROM $schema.export_attribution_pending ORDER BY kind`)).toEqual([
      { programme: FUTURE, kind: 'adjusted' },
      { programme: FUTURE, kind: 'recorded' },
    ]);

    await naive.stop();
    // Redelivered or not, every record reached the handler; the copy under a new ce_id and the upper-case id counted nowhere.
    expect(naive.progress.stats).toMatchObject({ applied: DISTINCT_EVENTS - 2, refacts: 2, rejected: 0, setAside: 2 });
    expect(naive.progress.stats?.received).toBeGreaterThanOrEqual(SCRIPT.length);
  });
});
