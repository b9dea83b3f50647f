import { randomUUID } from 'node:crypto';
import { SellerApproved, Topics } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { ConfigResourceTypes } from 'kafkajs';
import { OutboxRelay, OutboxWriter, outboxEvent, readSetAside, resolveSetAside } from '../src';
import { namespace } from './helpers';
import { approval, TallyHarness } from './tally-harness';

/** A row the broker can never take must not block the outbox: set aside, its key waits, the rest flows. */
describe('outbox relay with a row the broker refuses for good (real Kafka and Postgres)', () => {
  const harness = new TallyHarness(namespace('outbox-aside'));
  beforeAll(async () => {
    await harness.setUp();
    // The topic takes nothing over 4 KB.
    const admin = await harness.kafka.admin();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: harness.kafka.topic(SellerApproved.topic), configEntries: [{ name: 'max.message.bytes', value: '4096' }] }],
    });
    // The limit reaches the log a moment after the admin call returns (longer on a busy machine):
    // it is in force once the broker refuses a record over it.
    const producer = await harness.kafka.producer();
    await eventually(
      () => expect(producer.send({ topic: harness.kafka.topic(SellerApproved.topic), messages: [{ key: 'limit-probe', value: 'x'.repeat(5_000) }] })).rejects.toThrow(/max message size/),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });
  afterAll(() => harness.tearDown());

  async function write(key: string, payload: object, topic: string = SellerApproved.topic): Promise<void> {
    const id = randomUUID();
    await harness.dataSource.query(
      `INSERT INTO outbox (event_id, topic, record_key, event_type, attributes, payload) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, topic, key, SellerApproved.type, JSON.stringify({ id, type: SellerApproved.type, source: '/niryat/test', time: new Date().toISOString() }), JSON.stringify(payload)],
    );
  }

  it('publishes the other keys, sets the refused row aside with its error, and holds the later rows of its key', async () => {
    const [stuck, other] = [randomUUID(), randomUUID()];
    await write(stuck, { ...approval(stuck), padding: 'p'.repeat(20 * 1024) }); // over the topic's limit
    await write(stuck, approval(stuck)); // must not overtake the row before it
    await write(other, approval(other));
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    expect(await relay.publishPending()).toBe(1);
    expect(await relay.publishPending()).toBe(0); // nothing else may go: the stuck key waits

    // The failed request may have written the other row already: sent again alone it can be there twice,
    // the same event (at least once; consumers drop the copy by its id).
    // (Records the set-up's probe wrote before the limit was in force are not the relay's.)
    const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(SellerApproved.topic))).filter((r) => r.key !== 'limit-probe');
    expect(new Set(records.map((r) => r.key))).toEqual(new Set([other]));
    expect(new Set(records.map((r) => r.headers.ce_id)).size).toBe(1);
    const rows: { record_key: string; set_aside: boolean; published: boolean; last_error: string | null }[] = await harness.dataSource.query(
      `SELECT record_key, set_aside_at IS NOT NULL AS set_aside, published_at IS NOT NULL AS published, last_error FROM outbox ORDER BY seq`,
    );
    expect(rows).toEqual([
      { record_key: stuck, set_aside: true, published: false, last_error: expect.stringContaining('larger than the max message size') },
      { record_key: stuck, set_aside: false, published: false, last_error: null },
      { record_key: other, set_aside: false, published: true, last_error: null },
    ]);
  });

  it('publishes rows that went out in the request the broker refused part of, sent again alone, and does not jam', async () => {
    const [stuck, other] = [randomUUID(), randomUUID()];
    await write(stuck, { ...approval(stuck), padding: 'q'.repeat(20 * 1024) });
    // Another topic's partition in the same request: written by it, though the request failed.
    await write(other, approval(other), Topics.training);
    await write(other, { ...approval(other), district: 'Agra' }, Topics.training);
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    expect(await relay.publishPending()).toBe(2);
    const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(Topics.training))).filter((r) => r.key === other);
    expect(records.slice(-2).map((r) => JSON.parse(r.value ?? '{}').district)).toEqual(['Panipat', 'Agra']);
  });

  it('sends a set-aside row again once the cause is fixed (npm run deadletters -- resend), and its held-back key follows in order', async () => {
    const admin = await harness.kafka.admin();
    const topic = harness.kafka.topic(SellerApproved.topic);
    const limit = (bytes: number) =>
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: String(bytes) }] }] });
    const stuck = randomUUID();
    const first = approval(stuck);
    // A valid row the topic is configured too small for (as if max.message.bytes were set too low).
    await limit(256);
    try {
      await write(stuck, first);
      await write(stuck, { ...approval(stuck), district: 'Agra' });
      const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
      await relay.publishPending();
      const [aside] = (await readSetAside(harness.dataSource, harness.schema)).filter((r) => r.key === stuck);
      expect(aside).toMatchObject({ kind: 'outbox', topic: SellerApproved.topic, what: SellerApproved.type, error: expect.stringContaining('max message size') });
      // Unknown or unset rows change nothing, all or none.
      await expect(resolveSetAside(harness.dataSource, harness.schema, 'outbox', [aside.id, '999999'], 'resend')).rejects.toThrow(/999999.*nothing was changed/);

      await limit(1024 * 1024); // the cause fixed
      expect(await resolveSetAside(harness.dataSource, harness.schema, 'outbox', [aside.id], 'resend')).toEqual([expect.objectContaining({ id: aside.id, key: stuck })]);
      while ((await relay.publishPending()) > 0);
      const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), topic)).filter((r) => r.key === stuck);
      expect(records.map((r) => JSON.parse(r.value ?? '{}').district)).toEqual([first.district, 'Agra']);
      expect((await readSetAside(harness.dataSource, harness.schema)).filter((r) => r.key === stuck)).toEqual([]);
    } finally {
      await limit(4096);
    }
  });

  it('discards a set-aside row (npm run deadletters -- discard), returning it as it was, and its key flows again', async () => {
    const stuck = randomUUID();
    await write(stuck, { ...approval(stuck), padding: 'r'.repeat(20 * 1024) });
    await write(stuck, approval(stuck));
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    await relay.publishPending();
    const [aside] = (await readSetAside(harness.dataSource, harness.schema)).filter((r) => r.key === stuck);
    const [dropped] = await resolveSetAside(harness.dataSource, harness.schema, 'outbox', [aside.id], 'discard');
    expect(dropped).toMatchObject({ id: aside.id, key: stuck, type: SellerApproved.type, payload: expect.objectContaining({ sellerId: stuck }) });
    while ((await relay.publishPending()) > 0);
    const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(SellerApproved.topic))).filter((r) => r.key === stuck);
    expect(records.map((r) => 'padding' in JSON.parse(r.value ?? '{}'))).toEqual([false]);
  });

  it("with invalidPayloads 'set-aside', writes an invalid payload set aside with its reason and commits the rest of the transaction", async () => {
    const [bad, after, other] = [randomUUID(), randomUUID(), randomUUID()];
    const writer = new OutboxWriter(harness.schema, '/niryat/test', { invalidPayloads: 'set-aside' });
    await harness.dataSource.transaction(async (manager) => {
      await writer.append(manager, [
        outboxEvent(SellerApproved, { ...approval(bad), stateCode: 'XX' }),
        outboxEvent(SellerApproved, approval(bad)), // a later, valid row of the same key: waits behind it
        outboxEvent(SellerApproved, approval(after)),
        outboxEvent(SellerApproved, approval(other)),
      ]);
    });
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    await relay.publishPending();
    const rows: { record_key: string; set_aside: boolean; published: boolean; last_error: string | null }[] = await harness.dataSource.query(
      `SELECT record_key, set_aside_at IS NOT NULL AS set_aside, published_at IS NOT NULL AS published, last_error FROM outbox WHERE record_key = ANY($1::text[]) ORDER BY seq`,
      [[bad, after, other]],
    );
    expect(rows).toEqual([
      { record_key: bad, set_aside: true, published: false, last_error: expect.stringMatching(/^invalid niryat\.onboarding\.seller\.approved\.v1 payload: stateCode: /) },
      { record_key: bad, set_aside: false, published: false, last_error: null },
      { record_key: after, set_aside: false, published: true, last_error: null },
      { record_key: other, set_aside: false, published: true, last_error: null },
    ]);
    // Sent again as it is, every consumer would refuse it: resend says so and changes nothing; discard lets its key flow.
    const [aside] = (await readSetAside(harness.dataSource, harness.schema)).filter((r) => r.key === bad);
    await expect(resolveSetAside(harness.dataSource, harness.schema, 'outbox', [aside.id], 'resend')).rejects.toThrow(
      new RegExp(`outbox row ${aside.id} cannot be resent: its payload breaks the contract \\(stateCode: .*discard it instead`),
    );
    await expect(resolveSetAside(harness.dataSource, 'no_such_schema', 'outbox', [aside.id], 'resend')).rejects.toThrow(/no schema no_such_schema with a outbox table/);
    await resolveSetAside(harness.dataSource, harness.schema, 'outbox', [aside.id], 'discard');
    await relay.publishPending();
    const [later] = await harness.dataSource.query(`SELECT published_at IS NOT NULL AS published FROM outbox WHERE record_key = $1`, [bad]);
    expect(later).toEqual({ published: true });
  });

  it('by default refuses an invalid payload: the transaction rolls back and nothing is written', async () => {
    const seller = randomUUID();
    await expect(
      harness.dataSource.transaction((manager) => harness.outboxWriter().append(manager, [outboxEvent(SellerApproved, { ...approval(seller), stateCode: 'XX' })])),
    ).rejects.toThrow(/invalid niryat\.onboarding\.seller\.approved\.v1 payload: stateCode/);
    expect(await harness.dataSource.query(`SELECT 1 FROM outbox WHERE record_key = $1`, [seller])).toEqual([]);
  });
});
