import { eventually } from '@niryat/testing';
import { ChildConsumer } from './child-consumer';
import { namespace, writeApprovals } from './helpers';
import { TallyHarness } from './tally-harness';

const MODES = [
  ['applying each chunk before the next fetch', {}],
  ['fetching while applying', { partitionsConcurrently: 6, partitionsInOneTransaction: true, fetchWhileApplying: true }],
] as const;

describe.each(MODES)('consumer process death and shutdown, %s (real processes, Kafka and Postgres)', (_mode, options) => {
  const pipelined = 'fetchWhileApplying' in options;

  it('counts once when the consumer dies after its database commit and before its Kafka offset commit', async () => {
    const harness = await new TallyHarness(namespace('crash')).setUp();
    const child = new ChildConsumer(harness.namespace, 'crash-after-commit', 1000, pipelined);
    try {
      const { OutboxRelay } = await import('../src');
      const sellers = await writeApprovals(harness, 20);
      await new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema }).publishPending();

      await child.waitForLine('COMMITTED');
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');

      const afterCrash = await harness.offsets();
      const committedTotal = [...afterCrash.committed.values()].reduce((a, b) => a + b, 0n);
      const storedTotal = [...afterCrash.stored.values()].reduce((a, b) => a + b, 0n);
      expect(storedTotal).toBeGreaterThan(committedTotal); // the effect is durable, Kafka never heard of it

      const restarted = harness.consumer({ sessionTimeoutMs: 6_000, ...options });
      await restarted.start();
      try {
        await eventually(async () => expect((await harness.tally()).sellers).toBe(sellers.length), { timeoutMs: 60_000 });
        await eventually(async () => {
          const { committed } = await harness.offsets();
          expect([...committed.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(sellers.length));
        }, { timeoutMs: 60_000 });
        const tally = await harness.tally();
        expect(tally.maxApplied).toBe(1);
        expect(tally.totalApplied).toBe(sellers.length);
      } finally {
        await restarted.stop();
      }
    } finally {
      child.kill('SIGKILL');
      await harness.tearDown();
    }
  });

  it('on SIGTERM during a batch, stops cleanly and commits nothing it did not apply', async () => {
    const harness = await new TallyHarness(namespace('sigterm')).setUp();
    const child = new ChildConsumer(harness.namespace, 'slow', 5, pipelined);
    try {
      const { OutboxRelay } = await import('../src');
      const sellers = await writeApprovals(harness, 60);
      await new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema }).publishPending();

      await child.waitForLine('APPLYING');
      child.kill('SIGTERM');
      await child.waitForLine('STOPPED');
      expect((await child.exited).code).toBe(0);

      const partial = await harness.tally();
      expect(partial.sellers).toBeLessThan(sellers.length); // it really stopped mid-stream
      expect(partial.totalApplied).toBe(await harness.inboxCount()); // nothing half-written
      const { committed, stored } = await harness.offsets();
      for (const [partition, offset] of committed) expect(offset).toBeLessThanOrEqual(stored.get(partition) ?? 0n);

      const restarted = harness.consumer({ sessionTimeoutMs: 6_000, ...options });
      await restarted.start();
      try {
        await eventually(async () => expect((await harness.tally()).sellers).toBe(sellers.length), { timeoutMs: 60_000 });
        const tally = await harness.tally();
        expect(tally.maxApplied).toBe(1);
      } finally {
        await restarted.stop();
      }
    } finally {
      child.kill('SIGKILL');
      await harness.tearDown();
    }
  });
});
