import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { partnerOrderKey, partnerOrdersTopic, toKafkaHeaders } from '@niryat/contracts';
import { DeadLetter, KafkaClient, readDeadLetters, replayDeadLetters } from '@niryat/messaging';
import { loadEnv, RetentionService } from '@niryat/platform';
import { eventually, serviceTestEnv, uniqueSuffix } from '@niryat/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ExportsModule } from '../src/app.module';
import { ExportsEnv } from '../src/exports.env';

/**
 * Parked events expire: the exports service as it runs (its consumers, relay and retention)
 * against the test run's Kafka and Postgres, with a TTL of zero so the next retention run takes
 * every parked event out, dead-letters it with its reason, and leaves it replayable.
 */
const namespace = `t-parked-expiry-${uniqueSuffix()}`;
const env = loadEnv(ExportsEnv, 'exports', serviceTestEnv('exports', namespace, { PARKED_EVENT_TTL_DAYS: '0', RETENTION_INTERVAL_MINUTES: '0' }));

describe('parked events past PARKED_EVENT_TTL_DAYS (real Kafka and Postgres)', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let kafka: KafkaClient;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ExportsModule.forRoot(env)] }).compile();
    app = await moduleRef.createNestApplication({ logger: ['error'] }).init();
    dataSource = app.get(DataSource);
    kafka = app.get(KafkaClient);
  });
  afterAll(() => app?.close());

  const account = `FK-NEVER-${uniqueSuffix()}`.toUpperCase();
  const orderId = `OD-${uniqueSuffix()}`;
  const placed = {
    eventId: `${orderId}-placed-1`,
    orderId,
    sequence: 1,
    occurredAt: '2026-11-20T06:30:00.000Z',
    sellerAccountId: account,
    destinationCountry: 'US',
    currency: 'USD',
    lines: [{ lineId: 'L1', sku: 'BRASS-VASE-12', hsCode: '74198030', quantity: 4, unitPriceMinor: 2_500 }],
  };
  const parked = async () => (await dataSource.query(`SELECT event_id FROM "${env.DB_SCHEMA}".parked_events WHERE seller_account_id = $1`, [account])) as { event_id: string }[];
  const expiredLetters = async () =>
    (await readDeadLetters(kafka.kafka, await kafka.admin(), { group: kafka.groupId('exports.partner-orders'), code: 'EXPORTS.PARKED_EVENT_EXPIRED' })).filter((l) => l.key === partnerOrderKey('flipkart', orderId));

  it('dead-letters each expired event with its reason and source, shows it on its order, and a replay parks it again', async () => {
    const producer = await kafka.producer();
    await producer.send({
      topic: kafka.topic(partnerOrdersTopic('flipkart')),
      messages: [{ key: partnerOrderKey('flipkart', orderId), value: JSON.stringify(placed), headers: toKafkaHeaders({ id: placed.eventId, type: 'niryat.partner.order.placed.v1', source: 'flipkart', time: placed.occurredAt }) }],
    });
    await eventually(async () => expect(await parked()).toEqual([{ event_id: placed.eventId }]), { timeoutMs: 60_000 });

    const inboxed = () => dataSource.query(`SELECT 1 FROM "${env.DB_SCHEMA}".inbox WHERE event_source = 'flipkart' AND event_id = $1`, [placed.eventId]);
    expect(await inboxed()).toHaveLength(1); // parking counts as handled: the inbox knows it

    const run = await app.get(RetentionService).runOnce();
    expect(run.errors).toEqual({});
    expect(run.figures).toMatchObject({ parkedEventsExpired: 1, inboxEntriesPruned: expect.any(Number), outboxRowsPruned: expect.any(Number) });
    expect(await parked()).toEqual([]);
    // The last run's figures are in /health (reported, never down).
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.body.details.retention).toMatchObject({ status: 'up', lastRun: { figures: { parkedEventsExpired: 1 } }, off: true });

    const [letter] = await eventually(async () => {
      const letters = await expiredLetters();
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject<Partial<DeadLetter>>({
      reason: expect.stringMatching(new RegExp(`^parked event flipkart/${placed.eventId} waited 0 days .* account ${account} to be linked to a seller, and it never was`)),
      source: { topic: kafka.topic(partnerOrdersTopic('flipkart')), partition: expect.any(Number), offset: expect.any(String) },
      notReplayable: null,
    });
    expect(JSON.parse(letter.value ?? '{}')).toEqual(placed);
    expect(letter.headers).toMatchObject({ ce_id: placed.eventId, ce_source: 'flipkart' });
    const refusals = await dataSource.query(`SELECT code FROM "${env.DB_SCHEMA}".refused_order_events WHERE partner = 'flipkart' AND order_id = $1`, [orderId]);
    expect(refusals).toEqual([{ code: 'EXPORTS.PARKED_EVENT_EXPIRED' }]);
    // The partner orders group's inbox forgot it (recent entries are otherwise kept for weeks).
    expect(await inboxed()).toEqual([]);

    // Replayed (the account is still not linked), the same event is parked again, not dropped as a duplicate.
    expect((await replayDeadLetters(kafka.kafka, [letter])).map((r) => r.outcome)).toEqual(['replayed']);
    await eventually(async () => expect(await parked()).toEqual([{ event_id: placed.eventId }]), { timeoutMs: 60_000 });
  });
});
