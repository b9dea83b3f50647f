import { randomUUID } from 'node:crypto';
import { SellerApproved, SellerApprovedV1 } from '@niryat/contracts';
import { eventually, OwnKafkaBroker, readWholeTopic, testInfra } from '@niryat/testing';
import { BatchConsumer, BatchHandler, DeadLetterCode, DLQ } from '../src';
import { approvalHeaders, namespace, produceRaw } from './helpers';
import { approval, DECLINED, TallyHarness } from './tally-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A handler declines events with a code of its own while the broker that takes their dead letters
 * goes away and comes back (its own broker). The broker's absence is not the events' fault: each
 * is dead-lettered with the handler's code, never as MESSAGING.HANDLER_FAILED, under its own source
 * position; every other event is applied once, nothing is skipped, the consumer does not stall. An
 * event the handler genuinely cannot apply is still refused, as MESSAGING.HANDLER_FAILED.
 */
describe('dead letters while the broker restarts (its own broker, real PostgreSQL)', () => {
  const broker = new OwnKafkaBroker();
  let harness: TallyHarness;
  let consumer: BatchConsumer | undefined;
  let restarted: Promise<unknown> | undefined;

  beforeAll(async () => {
    const brokers = await broker.start();
    harness = new TallyHarness(namespace('dlq-restart'), testInfra().databaseUrl, brokers);
    await harness.setUp();
  }, 180_000);
  afterAll(async () => {
    await consumer?.stop();
    await restarted?.catch(() => undefined);
    await harness?.tearDown();
    await broker.destroy();
  });

  it("dead-letters an event declined as the broker went away with the handler's code, once by position, and still refuses a poison event", async () => {
    const sellers = Array.from({ length: 400 }, () => randomUUID());
    sellers.forEach((seller, i) => i % 4 === 1 && harness.declined.add(seller));
    const poison = sellers[60];
    harness.refused.add(poison);
    // The broker stops between the handler's verdict on this one and its dead letter, for longer than the producer's own retries.
    let stopAt: string | undefined = sellers[201];
    const handler: BatchHandler = async (events, manager) => {
      const outcome = await harness.handler(events, manager);
      if (stopAt !== undefined && outcome?.rejected?.some(({ event }) => (event.payload as SellerApprovedV1).sellerId === stopAt)) {
        stopAt = undefined;
        await broker.stop();
        restarted = sleep(15_000).then(() => broker.start());
      }
      return outcome;
    };
    await produceRaw(
      harness,
      sellers.map((id) => ({ key: id, value: JSON.stringify(approval(id)), headers: approvalHeaders() })),
    );

    consumer = harness.consumer({ handler, maxChunkSize: 10, maxBackoffMs: 1_000 });
    await consumer.start();
    const applied = sellers.length - harness.declined.size - 1;
    await eventually(async () => expect(await harness.tally()).toEqual({ sellers: applied, maxApplied: 1, totalApplied: applied }), { timeoutMs: 150_000, intervalMs: 500 });
    expect(stopAt).toBeUndefined();
    await restarted;

    // Every declined event and the poison one, and nothing else, under one source position each and its own code.
    const letters = await eventually(async () => {
      const all = await readWholeTopic([broker.brokers], (consumer as BatchConsumer).deadLetterTopic);
      expect(new Set(all.map((l) => l.key)).size).toBe(harness.declined.size + 1);
      return all;
    }, { timeoutMs: 60_000 });
    const verdicts = new Map<string, { positions: Set<string>; codes: Set<string> }>();
    for (const letter of letters) {
      const verdict = verdicts.get(letter.key ?? '') ?? { positions: new Set<string>(), codes: new Set<string>() };
      verdict.positions.add(`${letter.headers[DLQ.partition]}:${letter.headers[DLQ.offset]}`);
      verdict.codes.add(letter.headers[DLQ.code]);
      verdicts.set(letter.key ?? '', verdict);
    }
    const summary = (key: string) => ({ key, positions: verdicts.get(key)?.positions.size, codes: [...(verdicts.get(key)?.codes ?? [])] });
    expect([...harness.declined].map(summary)).toEqual([...harness.declined].map((key) => ({ key, positions: 1, codes: [DECLINED] })));
    expect(summary(poison)).toEqual({ key: poison, positions: 1, codes: [DeadLetterCode.handlerFailed] });

    // Nothing skipped: the stored offsets reach the end of every partition.
    const { stored } = await harness.offsets();
    expect([...stored.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(sellers.length));
  }, 300_000);

  it('keeps every send and every dead letter going through restarts under concurrent sends on the shared producer', async () => {
    await consumer?.stop();
    harness.refused.clear();
    const group = 'tally-under-load';
    consumer = harness.consumer({ groupId: group, maxChunkSize: 10, partitionsConcurrently: 3, maxBackoffMs: 1_000 });
    await consumer.start();
    const mine = new Set<string>();
    // Senders that share the consumer's producer, as the partner ingest does: each sends its batch again until it is taken.
    let sending = true;
    const senders = Array.from({ length: 6 }, async () => {
      while (sending) {
        const batch = Array.from({ length: 10 }, (_, i) => ({ seller: randomUUID(), declined: i % 2 === 0 }));
        for (const { seller, declined } of batch) {
          mine.add(seller);
          if (declined) harness.declined.add(seller);
        }
        const messages = batch.map(({ seller }) => ({ key: seller, value: JSON.stringify(approval(seller)), headers: approvalHeaders() }));
        for (const giveUpAt = Date.now() + 60_000; ; ) {
          try {
            await produceRaw(harness, messages);
            break;
          } catch (error) {
            if (Date.now() > giveUpAt) throw new Error(`sends fail for a minute after the broker came back: ${(error as Error).message}`);
            await sleep(300);
          }
        }
        await sleep(50);
      }
    });
    for (let restart = 0; restart < 2; restart++) {
      await sleep(3_000 + Math.random() * 3_000);
      await broker.stop();
      await sleep(1_000 + Math.random() * 2_000);
      await broker.start();
    }
    await sleep(3_000);
    sending = false;
    await Promise.all(senders);

    // Sent again after a failure, a record may be on the topic twice (two copies in one chunk are one event, refused once).
    const records = (await readWholeTopic([broker.brokers], harness.kafka.topic(SellerApproved.topic))).filter((r) => mine.has(r.key ?? ''));
    const positions = new Map<string, Set<string>>();
    for (const r of records) positions.set(r.key ?? '', new Set([...(positions.get(r.key ?? '') ?? []), `${r.partition}:${r.offset}`]));
    const declined = [...mine].filter((s) => harness.declined.has(s));
    const applied = [...mine].filter((s) => !harness.declined.has(s));
    await eventually(async () => {
      const [{ n }] = await harness.dataSource.query(`SELECT count(*)::int AS n FROM tally WHERE seller_id = ANY($1::uuid[]) AND applied = 1`, [applied]);
      expect(n).toBe(applied.length);
    }, { timeoutMs: 120_000, intervalMs: 500 });
    // Every declined event dead-lettered with the handler's code, from positions it has on the topic; nothing else.
    await eventually(async () => {
      const letters = (await readWholeTopic([broker.brokers], (consumer as BatchConsumer).deadLetterTopic)).filter((l) => mine.has(l.key ?? ''));
      expect(new Set(letters.map((l) => l.headers[DLQ.code]))).toEqual(new Set([DECLINED]));
      expect(new Set(letters.map((l) => l.key))).toEqual(new Set(declined));
      expect(letters.filter((l) => !positions.get(l.key ?? '')?.has(`${l.headers[DLQ.partition]}:${l.headers[DLQ.offset]}`))).toEqual([]);
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    const [{ n }] = await harness.dataSource.query(`SELECT count(*)::int AS n FROM tally WHERE seller_id = ANY($1::uuid[])`, [declined]);
    expect(n).toBe(0);
  }, 300_000);
});
