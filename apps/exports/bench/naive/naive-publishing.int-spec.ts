import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ExportAdjusted,
  ExportRecorded,
  OrderCancelled,
  OrderDelivered,
  OrderPlaced,
  OrderReturned,
  OrderReturnedToOrigin,
  OrderShipped,
  parsePayload,
  partnerOrderKey,
  toKafkaHeaders,
  TopicSpecs,
  type Marketplace,
} from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { loadEnv } from '@niryat/platform';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { BenchChild, eventually, ReadRecord, readWholeTopic, serviceTestEnv, testInfra, uniqueSuffix } from '@niryat/testing';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ChildConfig } from '../child';
import { EXPORTS_MIGRATIONS, ExportsEnv, ExportsModule } from '../service';
import { byPartnerTopic, PartnerRecord } from '../workload';
import { NAIVE_GROUP } from './naive-orders.service';

/**
 * The naive variant with `publishExports` (the naive chain's first half, apps/bench) publishes what
 * the exports service publishes: the service itself and the naive process, each on a namespace and
 * schema of its own, read the same partner stream (returns, a return-to-origin before its shipment,
 * a return before its order was placed, a refused return, a cancellation, a resent shipment,
 * enrolments that start and end) and put the same ExportRecorded / ExportAdjusted records on their
 * exports topic, ids and recording times aside.
 */
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const suffix = uniqueSuffix();
const realNamespace = `t-naive-pub-real-${suffix}`;
const naiveNamespace = `t-naive-pub-naive-${suffix}`;
const env = loadEnv(ExportsEnv, 'exports', serviceTestEnv('exports', realNamespace));
const naiveSchema = `exports_naive_pub_${suffix}`;

const S1 = { sellerId: '0b6f3a52-5f2e-4a51-9d43-3c1f0e7a9a01', state: '09', district: 'Moradabad', classification: 'small' };
const S2 = { sellerId: '0b6f3a52-5f2e-4a51-9d43-3c1f0e7a9a02', state: '06', district: 'Panipat', classification: 'micro' };
const ENROLMENTS = [
  // S1: Vriddhi since always, ODOP from 1 June 2026. S2: Amazon Global Selling from January to May 2026.
  { seller: S1, periods: [{ programmeId: 'walmart-vriddhi', from: '0001-01-01', until: null }, { programmeId: 'flipkart-walmart-odop-up', from: '2026-06-01', until: null }] },
  { seller: S2, periods: [{ programmeId: 'amazon-global-selling', from: '2026-01-01', until: '2026-05-01' }] },
];
const ACCOUNTS: { marketplace: Marketplace; accountId: string; sellerId: string }[] = [
  { marketplace: 'walmart', accountId: `WMT-NP-${suffix}`.toUpperCase(), sellerId: S1.sellerId },
  { marketplace: 'flipkart', accountId: `FK-NP-${suffix}`.toUpperCase(), sellerId: S1.sellerId },
  { marketplace: 'amazon', accountId: `AMZ-NP-${suffix}`.toUpperCase(), sellerId: S2.sellerId },
];
const accountOf = (marketplace: Marketplace) => ACCOUNTS.find((a) => a.marketplace === marketplace)?.accountId as string;


/** One order's events, built in its sequence order; `records` lists them in the order the partner sends them. */
function order(marketplace: Marketplace, orderId: string, currency: string, destinationCountry: string) {
  const lines = [
    { lineId: 'L1', sku: 'BRASS-VASE-12', hsCode: '74198030', quantity: 4, unitPriceMinor: 2_505 },
    { lineId: 'L2', sku: 'CARPET-3X5', hsCode: '57011010', quantity: 2, unitPriceMinor: 10_001 },
  ];
  let sequence = 0;
  const event = (type: string, occurredAt: string, extra: object = {}): PartnerRecord => {
    sequence += 1;
    const eventId = `${orderId}-${sequence}`;
    const payload = { eventId, orderId, sequence, occurredAt, sellerAccountId: accountOf(marketplace), destinationCountry, currency, ...extra };
    return {
      key: partnerOrderKey(marketplace, orderId),
      value: JSON.stringify(payload),
      headers: toKafkaHeaders({ id: eventId, type, source: marketplace, time: occurredAt, subject: `orders/${orderId}` }),
    };
  };
  return {
    placed: (at: string) => event(OrderPlaced.type, at, { lines }),
    shipped: (at: string, bill?: string) => event(OrderShipped.type, at, { lines, ...(bill ? { shippingBillNumber: bill, shippingBillDate: at.slice(0, 10) } : {}) }),
    delivered: (at: string) => event(OrderDelivered.type, at),
    returned: (at: string, returned: { lineId: string; quantity: number }[]) => event(OrderReturned.type, at, { lines: returned }),
    returnedToOrigin: (at: string) => event(OrderReturnedToOrigin.type, at),
    cancelled: (at: string) => event(OrderCancelled.type, at),
  };
}

function stream(): PartnerRecord[] {
  const o1 = order('walmart', `NP1-${suffix}`, 'USD', 'US');
  const o1Events = [o1.placed('2026-05-10T06:00:00Z'), o1.shipped('2026-05-12T06:00:00Z', '1234567'), o1.delivered('2026-05-20T06:00:00Z')];
  const o1Returns = [o1.returned('2026-06-02T06:00:00Z', [{ lineId: 'L1', quantity: 1 }]), o1.returned('2026-06-05T20:00:00Z', [{ lineId: 'L1', quantity: 1 }, { lineId: 'L2', quantity: 2 }])];
  // Shipped in July, after ODOP began; the return-to-origin reaches exports before the shipment.
  const o2 = order('flipkart', `NP2-${suffix}`, 'EUR', 'DE');
  const [o2Placed, o2Shipped, o2Rto] = [o2.placed('2026-07-01T06:00:00Z'), o2.shipped('2026-07-03T06:00:00Z'), o2.returnedToOrigin('2026-07-20T06:00:00Z')];
  // In April S2 was enrolled; a second return of more than is left is refused; the shipment is sent twice.
  const o3 = order('amazon', `NP3-${suffix}`, 'USD', 'AE');
  const [o3Placed, o3Shipped, o3Returned, o3TooMuch] = [
    o3.placed('2026-04-18T06:00:00Z'),
    o3.shipped('2026-04-20T06:00:00Z'),
    o3.returned('2026-05-02T06:00:00Z', [{ lineId: 'L2', quantity: 2 }]),
    o3.returned('2026-05-03T06:00:00Z', [{ lineId: 'L2', quantity: 1 }]),
  ];
  const o4 = order('amazon', `NP4-${suffix}`, 'USD', 'US');
  // Shipped after S2's withdrawal: in no programme.
  const o5 = order('amazon', `NP5-${suffix}`, 'USD', 'CA');
  // The return first, then the order placed, then the shipment.
  const o6 = order('walmart', `NP6-${suffix}`, 'USD', 'GB');
  const [o6Placed, o6Shipped, o6Returned] = [o6.placed('2026-07-28T06:00:00Z'), o6.shipped('2026-08-01T06:00:00Z'), o6.returned('2026-08-09T06:00:00Z', [{ lineId: 'L2', quantity: 1 }])];
  return [
    ...o1Events,
    o3Placed,
    o3Shipped,
    o2Placed,
    o2Rto,
    o3Returned,
    o3Shipped,
    o4.placed('2026-06-01T06:00:00Z'),
    o4.cancelled('2026-06-02T06:00:00Z'),
    ...o1Returns,
    o2Shipped,
    o3TooMuch,
    o5.placed('2026-06-08T06:00:00Z'),
    o5.shipped('2026-06-10T06:00:00Z'),
    o6Returned,
    o6Placed,
    o6Shipped,
  ];
}

async function seed(dataSource: DataSource, schema: string): Promise<void> {
  for (const { seller, periods } of ENROLMENTS) {
    await dataSource.query(
      `INSERT INTO "${schema}".seller_directory (seller_id, state_code, district, classification, status, programmes, enrolments)
       VALUES ($1, $2, $3, $4, 'approved', $5, $6)`,
      [seller.sellerId, seller.state, seller.district, seller.classification, periods.filter((p) => p.until === null).map((p) => p.programmeId), JSON.stringify(periods)],
    );
  }
  for (const a of ACCOUNTS) {
    await dataSource.query(`INSERT INTO "${schema}".marketplace_accounts (marketplace, account_id, seller_id, linked_at) VALUES ($1, $2, $3, now())`, [
      a.marketplace,
      a.accountId,
      a.sellerId,
    ]);
  }
}

/**
 * A published export event without what differs between any two runs: generated ids and recording
 * times, and its provenance (the service passes on the correlation and causation of the partner
 * events it applies, which depend on how they fell into transactions; the naive variant does not).
 */
function comparable(record: ReadRecord): Record<string, unknown> {
  const payload = JSON.parse(record.value ?? '{}') as Record<string, unknown>;
  const { exportId, adjustmentId, recordedAt, ...rest } = payload;
  const { ce_id, ce_subject, ce_correlationid, ce_causationid: _causation, traceparent: _traceparent, tracestate: _tracestate, ...headers } = record.headers;
  expect(ce_subject).toBe(`exports/${String(exportId)}`);
  expect([ce_id, ce_correlationid]).toEqual([expect.any(String), expect.any(String)]);
  expect(typeof recordedAt).toBe('string');
  if (headers.ce_type === ExportAdjusted.type) expect(adjustmentId).toEqual(expect.any(String));
  return { key: record.key, headers, payload: rest };
}

const byContent = (a: Record<string, unknown>, b: Record<string, unknown>) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

describe('the naive exports variant publishing its export events (real Kafka and Postgres)', () => {
  let app: INestApplication | undefined;
  let kafka: KafkaClient | undefined;
  let naiveData: DataSource | undefined;
  let naive: BenchChild | undefined;

  afterAll(async () => {
    await naive?.stop();
    await app?.close();
    await kafka?.close();
    if (naiveData?.isInitialized) await naiveData.destroy();
  });

  it('puts the same ExportRecorded and ExportAdjusted records on the exports topic as the service', async () => {
    const { kafkaBrokers, databaseUrl } = testInfra();
    const moduleRef = await Test.createTestingModule({ imports: [ExportsModule.forRoot(env)] }).compile();
    app = await moduleRef.createNestApplication({ logger: ['error'] }).init();
    const realData = app.get(DataSource);
    await seed(realData, env.DB_SCHEMA as string);

    const naiveDb = (naiveData = new DataSource(serviceDataSourceOptions({ url: databaseUrl, schema: naiveSchema, migrations: EXPORTS_MIGRATIONS })));
    await naiveDb.initialize();
    await migrate(naiveDb);
    await seed(naiveDb, naiveSchema);

    kafka = new KafkaClient({ brokers: kafkaBrokers.split(','), clientId: `test-${naiveNamespace}` });
    const records = stream();
    const producer = await kafka.producer();
    for (const namespace of [realNamespace, naiveNamespace]) {
      const namespaced = new KafkaClient({ ...kafka.config, topicNamespace: namespace });
      await namespaced.ensureTopics(TopicSpecs);
      await namespaced.close();
      await producer.sendBatch({ topicMessages: byPartnerTopic(namespace, records) });
    }

    const config: Partial<ChildConfig> = { variant: 'naive', kafkaBrokers, databaseUrl, namespace: naiveNamespace, schema: naiveSchema, publishExports: true };
    naive = new BenchChild(join(__dirname, 'main.ts'), config, { cwd: REPO_ROOT });
    await naive.untilJoined();

    // O1: an export, two returns; O2: an export and its RTO; O3: an export, one return (the second refused); O5: an export; O6: an export and a return.
    const [recordedCount, adjustedCount] = [5, 5];
    const readExports = async (namespace: string) => {
      const read = await readWholeTopic(kafkaBrokers.split(','), `${namespace}.${ExportRecorded.topic}`);
      expect(read).toHaveLength(recordedCount + adjustedCount);
      return read;
    };
    const real = await eventually(() => readExports(realNamespace), { timeoutMs: 90_000, intervalMs: 500 });
    const published = await eventually(() => readExports(naiveNamespace), { timeoutMs: 90_000, intervalMs: 500 });
    const distinctEvents = new Set(records.map((r) => r.headers.ce_id)).size;
    await eventually(async () => {
      const [{ n }] = await naiveDb.query(`SELECT count(*)::int AS n FROM "${naiveSchema}".inbox WHERE consumer_group = $1`, [NAIVE_GROUP]);
      expect(n).toBe(distinctEvents);
    });

    for (const record of published) {
      const definition = record.headers.ce_type === ExportRecorded.type ? ExportRecorded : ExportAdjusted;
      expect(parsePayload(definition.payload, JSON.parse(record.value ?? '{}'))).toMatchObject({ ok: true });
      expect(record.headers).toMatchObject({ ce_source: '/niryat/exports', ce_specversion: '1.0', 'content-type': 'application/json' });
    }
    expect(published.filter((r) => r.headers.ce_type === ExportRecorded.type)).toHaveLength(recordedCount);
    expect(published.map(comparable).sort(byContent)).toEqual(real.map(comparable).sort(byContent));

    // Spot checks of what the comparison holds both to.
    const o2 = published.map((r) => JSON.parse(r.value ?? '{}')).filter((p) => p.orderId === `NP2-${suffix}`);
    expect(o2.map((p) => [p.programmes, p.reason ?? 'recorded', p.valueMinor])).toEqual([
      [['flipkart-walmart-odop-up', 'walmart-vriddhi'], 'recorded', 30_022],
      [['flipkart-walmart-odop-up', 'walmart-vriddhi'], 'return-to-origin', -30_022],
    ]);
    const o5 = published.map((r) => JSON.parse(r.value ?? '{}')).find((p) => p.orderId === `NP5-${suffix}`);
    expect(o5).toMatchObject({ programmes: [], stateCode: '06', classification: 'micro' });

    await naive.stop();
    expect(naive.progress.stats).toMatchObject({ exports: recordedCount, adjustments: adjustedCount, published: recordedCount + adjustedCount, rejected: 1, duplicates: 1 });
  });
});
