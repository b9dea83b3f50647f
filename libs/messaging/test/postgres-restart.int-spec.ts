import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor } from '@niryat/contracts';
import { eventually, OwnPostgres, readWholeTopic, testInfra } from '@niryat/testing';
import { BatchConsumer } from '../src';
import { approvalHeaders, namespace, produceRaw } from './helpers';
import { approval, TallyHarness } from './tally-harness';

/**
 * PostgreSQL restarted under a running consumer (its own server, stopped with a fast shutdown as a
 * failover or a restart would, then started again on the same port): the consumer retries the
 * transient failures, keeps its group membership, and applies every event exactly once; none is
 * dead-lettered for the database being away.
 */
describe('a consumer while PostgreSQL restarts (its own server, real Kafka)', () => {
  const postgres = new OwnPostgres();
  let harness: TallyHarness;
  let consumer: BatchConsumer | undefined;

  beforeAll(async () => {
    harness = new TallyHarness(namespace('pg-restart'), await postgres.start());
    await harness.setUp();
  }, 180_000);
  afterAll(async () => {
    await consumer?.stop();
    await harness?.tearDown();
    await postgres.destroy();
  });

  const send = (count: number) => {
    const sellers = Array.from({ length: count }, () => randomUUID());
    return produceRaw(
      harness,
      sellers.map((id) => ({ key: id, value: JSON.stringify(approval(id)), headers: approvalHeaders() })),
    ).then(() => sellers);
  };

  it('applies every event once across two restarts in the middle of a burst, and dead-letters none', async () => {
    consumer = harness.consumer({ maxChunkSize: 20 });
    await consumer.start();
    const sent: string[] = [];
    for (let restart = 0; restart < 2; restart++) {
      // A burst, and the database stopped while the consumer is in the middle of it.
      const before = (await harness.tally()).sellers;
      sent.push(...(await send(1_000)));
      const applied = await eventually(async () => {
        const { sellers } = await harness.tally();
        expect(sellers).toBeGreaterThan(before);
        return sellers;
      });
      expect(applied).toBeLessThan(sent.length); // stopped mid-stream, not after it
      await postgres.stop();
      // Records keep arriving while the database is away: they wait on Kafka, never skipped.
      sent.push(...(await send(100)));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await postgres.start();
    }

    await eventually(async () => expect(await harness.tally()).toEqual({ sellers: sent.length, maxApplied: 1, totalApplied: sent.length }), { timeoutMs: 120_000 });
    const { stored } = await harness.offsets();
    expect([...stored.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(sent.length));
    const deadLetters = await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(deadLetterTopicFor('tally')));
    expect(deadLetters).toEqual([]);
  }, 240_000);
});
