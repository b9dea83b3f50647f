import { SellerApproved } from '@niryat/contracts';
import { eventually } from '@niryat/testing';
import { BatchConsumer, OutboxRelay, pruneMessagingTables } from '../src';
import { namespace, writeApprovals } from './helpers';
import { TallyHarness } from './tally-harness';

/**
 * Retention keeps exactly-once: inbox entries go once they are old and below their stored offset,
 * published outbox rows once old, while a consumer runs; every kind of redelivery still counts once.
 */
describe('retention of the inbox and the outbox during a live run (real Kafka and Postgres)', () => {
  const harness = new TallyHarness(namespace('retention'));
  const windows = { inboxDays: 1 / 24, outboxDays: 1 / 24 }; // an hour each
  let consumer: BatchConsumer | undefined;
  beforeAll(() => harness.setUp());
  afterAll(async () => {
    await consumer?.stop();
    await harness.tearDown();
  });

  const age = (table: 'inbox' | 'outbox', column: string, where = 'true') => harness.dataSource.query(`UPDATE ${table} SET ${column} = ${column} - interval '2 hours' WHERE ${where}`);

  it('prunes old entries while consuming, and a reset to the earliest offset and a relay re-publishing recent rows both count once', async () => {
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    const publishAll = async () => {
      while ((await relay.publishPending()) > 0);
    };
    consumer = harness.consumer();
    await consumer.start();

    // A first history, applied, then two hours old.
    await writeApprovals(harness, 60);
    await publishAll();
    await eventually(async () => expect(await harness.tally()).toMatchObject({ sellers: 60, maxApplied: 1 }));
    await age('inbox', 'applied_at');
    await age('outbox', 'created_at');
    await age('outbox', 'published_at');
    // An old row that was never published (set aside, so the relay leaves it): retention never touches it.
    const [unsent] = await writeApprovals(harness, 1);
    await harness.dataSource.query(`UPDATE outbox SET set_aside_at = now(), created_at = created_at - interval '2 hours' WHERE record_key = $1`, [unsent]);

    // More traffic while retention runs, again and again.
    let pruning = true;
    const pruned = { inboxEntries: 0, outboxRows: 0 };
    const pruner = (async () => {
      while (pruning) {
        const figures = await pruneMessagingTables(harness.dataSource, harness.schema, windows);
        pruned.inboxEntries += figures.inboxEntries;
        pruned.outboxRows += figures.outboxRows;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    for (let i = 0; i < 5; i++) {
      await writeApprovals(harness, 20);
      await publishAll();
    }
    pruning = false;
    await pruner;
    await eventually(async () => expect((await harness.tally()).sellers).toBe(160));
    expect(pruned).toEqual({ inboxEntries: 60, outboxRows: 60 });
    const [{ inbox }] = await harness.dataSource.query(`SELECT count(*)::int AS inbox FROM inbox`);
    expect(inbox).toBe((await harness.tally()).sellers - 60);
    const [{ pending }] = await harness.dataSource.query(`SELECT count(*)::int AS pending FROM outbox WHERE record_key = $1`, [unsent]);
    expect(pending).toBe(1);

    // Redelivery 1: Kafka forgets the group's position; everything comes again from offset zero,
    // pruned entries included. The stored offsets skip what was applied.
    await consumer.stop();
    const admin = await harness.kafka.admin();
    await admin.resetOffsets({ groupId: harness.kafka.groupId('tally'), topic: harness.kafka.topic(SellerApproved.topic), earliest: true });
    // Redelivery 2: the relay sends recent rows again (it crashed between sending and marking): new
    // offsets, the same ids, caught by the inbox entries retention kept.
    await harness.dataSource.query(`UPDATE outbox SET published_at = NULL WHERE seq IN (SELECT seq FROM outbox WHERE published_at IS NOT NULL ORDER BY seq DESC LIMIT 25)`);
    await publishAll();
    consumer = harness.consumer();
    await consumer.start();
    await eventually(async () => {
      const { stored } = await harness.offsets();
      const [{ end }] = await harness.dataSource.query(`SELECT count(*)::int AS "end" FROM outbox WHERE published_at IS NOT NULL`);
      expect([...stored.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(end) + 60n + 25n); // every record on the log applied or skipped: 60 pruned rows, 25 re-sent
    });
    expect(await harness.tally()).toEqual({ sellers: 160, maxApplied: 1, totalApplied: 160 });
  });
});
