import { randomUUID } from 'node:crypto';
import { SellerApproved } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { DeadLetterCode, DLQ } from '../src';
import { approvalHeaders, namespace, produceRaw, writeApprovals } from './helpers';
import { approval, TallyHarness } from './tally-harness';

describe('batch consumer dead-lettering (real Kafka and Postgres)', () => {
  let harness: TallyHarness;

  beforeAll(async () => {
    harness = await new TallyHarness(namespace('dlq')).setUp();
  });
  afterAll(() => harness.tearDown());

  it('sends poison records to the dead-letter topic with the reason and keeps processing the ones after them', async () => {
    const key = randomUUID(); // one key: everything lands on one partition, in this order
    const good = (sellerId: string) => ({ key, value: JSON.stringify(approval(sellerId)), headers: approvalHeaders() });
    const [first, last] = [randomUUID(), randomUUID()];
    await produceRaw(harness, [
      good(first),
      { key, value: 'this is {not json', headers: approvalHeaders() },
      { key, value: JSON.stringify({ sellerId: 'not-a-uuid', stateCode: '99X', programmes: 'all' }), headers: approvalHeaders() },
      { key, value: JSON.stringify(approval(randomUUID())), headers: { 'content-type': 'application/json' } },
      { key, value: JSON.stringify(approval(randomUUID())), headers: { ...approvalHeaders(), ce_type: 'niryat.unknown.thing.v1' } },
      good(last),
    ]);

    const consumer = harness.consumer();
    await consumer.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(2));
      const dead = await eventually(async () => {
        const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), consumer.deadLetterTopic);
        expect(records).toHaveLength(4);
        return records;
      });
      expect(dead.map((r) => r.headers[DLQ.code])).toEqual([
        DeadLetterCode.notJson,
        DeadLetterCode.invalidPayload,
        DeadLetterCode.missingHeaders,
        DeadLetterCode.unknownType,
      ]);
      for (const record of dead) {
        expect(record.key).toBe(key);
        expect(record.headers[DLQ.reason]).toEqual(expect.any(String));
        expect(record.headers[DLQ.topic]).toBe(harness.kafka.topic(SellerApproved.topic));
        expect(record.headers[DLQ.group]).toBe('tally');
      }
      expect(dead[0].value).toBe('this is {not json');
      const fieldErrors = JSON.parse(dead[1].headers[DLQ.errors]) as { field: string }[];
      expect(fieldErrors.map((e) => e.field)).toEqual(expect.arrayContaining(['sellerId', 'stateCode', 'programmes', 'approvedAt']));
      expect(dead[2].headers[DLQ.reason]).toContain('ce_id');

      const { committed, stored } = await eventually(async () => {
        const offsets = await harness.offsets();
        expect([...offsets.committed.values()].reduce((a, b) => a + b, 0n)).toBe(6n);
        return offsets;
      });
      expect(stored).toEqual(committed);
    } finally {
      await consumer.stop();
    }
  });

  it('dead-letters only the event its handler refuses and applies the rest of the chunk', async () => {
    const before = (await harness.tally()).sellers;
    const key = randomUUID();
    const sellers = [randomUUID(), randomUUID(), randomUUID()];
    harness.refused.add(sellers[1]);
    await produceRaw(
      harness,
      sellers.map((id) => ({ key, value: JSON.stringify(approval(id)), headers: approvalHeaders() })),
    );
    const consumer = harness.consumer();
    await consumer.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(before + 2));
      const dead = await eventually(async () => {
        const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), consumer.deadLetterTopic);
        const refused = records.filter((r) => r.headers[DLQ.code] === DeadLetterCode.handlerFailed);
        expect(refused).toHaveLength(1);
        return refused[0];
      });
      expect(JSON.parse(dead.value ?? '')).toMatchObject({ sellerId: sellers[1] });
      expect(dead.headers[DLQ.reason]).toContain('refused by the test handler');
      // The original record, headers and all, not a re-serialisation of what was decoded.
      expect(dead.headers).toMatchObject({ ce_specversion: '1.0', 'content-type': 'application/json', ce_source: '/niryat/test' });
      const rows: { seller_id: string }[] = await harness.dataSource.query(`SELECT seller_id FROM tally WHERE seller_id = ANY($1::uuid[])`, [sellers]);
      expect(rows.map((r) => r.seller_id).sort()).toEqual([sellers[0], sellers[2]].sort());
    } finally {
      await consumer.stop();
    }
  });

  it('never applies a record below the stored offset again, even with Kafka offsets reset and the inbox emptied', async () => {
    const { OutboxRelay } = await import('../src');
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    await writeApprovals(harness, 10);
    await relay.publishPending();
    let consumer = harness.consumer();
    await consumer.start();
    const applied = await eventually(async () => {
      const { committed, stored } = await harness.offsets();
      expect(committed).toEqual(stored);
      const [{ pending }] = await harness.dataSource.query(`SELECT count(*)::int AS pending FROM outbox o
        WHERE NOT EXISTS (SELECT 1 FROM tally t WHERE t.seller_id::text = o.record_key)`);
      expect(pending).toBe(0);
      return harness.tally();
    });
    await consumer.stop();

    // Lose both other lines of defence: Kafka forgets the group's position, the inbox is pruned.
    await harness.dataSource.query(`DELETE FROM inbox`);
    const admin = await harness.kafka.admin();
    await admin.resetOffsets({ groupId: harness.kafka.groupId('tally'), topic: harness.kafka.topic(SellerApproved.topic), earliest: true });
    const [late] = await writeApprovals(harness, 1);
    await relay.publishPending();

    consumer = harness.consumer();
    await consumer.start();
    try {
      await eventually(async () => {
        const rows: unknown[] = await harness.dataSource.query(`SELECT 1 FROM tally WHERE seller_id = $1`, [late]);
        expect(rows).toHaveLength(1);
      });
      const after = await harness.tally();
      expect(after.sellers).toBe(applied.sellers + 1);
      expect(after.maxApplied).toBe(1);
      expect(after.totalApplied).toBe(after.sellers);
    } finally {
      await consumer.stop();
    }
  });
});
