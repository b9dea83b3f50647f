import { randomUUID } from 'node:crypto';
import { eventually } from '@niryat/testing';
import { approvalHeaders, namespace, produceRaw } from './helpers';
import { approval, TallyHarness } from './tally-harness';

/** A transaction longer than the session timeout keeps its consumer in the group: it heartbeats while applying. */
describe('a long transaction (real Kafka and Postgres)', () => {
  const harness = new TallyHarness(namespace('long-tx'));
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());

  it('stays a member of its group through a transaction twice its session timeout, and applies each event once', async () => {
    let slow = true;
    const consumer = harness.consumer({
      sessionTimeoutMs: 6_000, // the broker's smallest
      handler: async (events, manager) => {
        if (slow) {
          slow = false;
          await new Promise((resolve) => setTimeout(resolve, 13_000));
        }
        await manager.query(`INSERT INTO tally (seller_id, applied) SELECT unnest($1::uuid[]), 1 ON CONFLICT (seller_id) DO UPDATE SET applied = tally.applied + 1`, [
          events.map((e) => (e.payload as { sellerId: string }).sellerId),
        ]);
      },
    });
    const key = randomUUID();
    await produceRaw(harness, [{ key, value: JSON.stringify(approval(key)), headers: approvalHeaders() }]);
    await consumer.start();
    try {
      const admin = await harness.kafka.admin();
      const group = harness.kafka.groupId('tally');
      // Past the session timeout, inside the slow transaction: still the group's one stable member.
      await new Promise((resolve) => setTimeout(resolve, 9_000));
      const [described] = (await admin.describeGroups([group])).groups;
      expect([described.state, described.members.length]).toEqual(['Stable', 1]);
      await eventually(async () => expect(await harness.tally()).toEqual({ sellers: 1, maxApplied: 1, totalApplied: 1 }), { timeoutMs: 30_000 });
    } finally {
      await consumer.stop();
    }
  });
});
