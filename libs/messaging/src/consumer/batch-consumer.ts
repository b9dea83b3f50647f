import { Logger } from '@nestjs/common';
import { EventDefinition } from '@niryat/contracts';
import { isTransientDbError } from '@niryat/persistence';
import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { KafkaClient } from '../kafka/kafka-client';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { DeadLetterCode, InboundEvent, Rejection } from './inbound-event';
import { forgetInboxEntries } from './inbox';
import { RecordDecoder } from './record-decoder';

/**
 * Applies a chunk of new events inside the consumer's transaction. It receives only events this
 * consumer group has never applied (the inbox has already filtered duplicates) and must do all its
 * writes through `manager`, so they commit together with the inbox rows and stored offsets.
 */
export type BatchHandler = (events: InboundEvent[], manager: EntityManager) => Promise<void | HandlerOutcome>;

/**
 * Events the handler refused for good (an impossible history, a seller of another marketplace):
 * they count as handled — recorded in the inbox — and go to the dead-letter topic with the reason,
 * published before the transaction commits so none is lost.
 */
export interface HandlerOutcome {
  rejected?: { event: InboundEvent; code: string; reason: string }[];
}

export interface ChunkApplied {
  topic: string;
  partition: number;
  /** The offset the group resumes from; everything before it is applied and durable. */
  nextOffset: string;
  applied: number;
}

export interface BatchConsumerOptions {
  /**
   * Consumer group name without namespace: keys the stored offsets and inbox rows in `schema`, and
   * names the Kafka group and the dead-letter topic.
   */
  groupId: string;
  /**
   * The Kafka group (without namespace) when it must differ from `groupId`: a rebuild reads the
   * same topics from the start beside the live consumer, into a schema of its own whose stored
   * offsets carry the live group's name, so the live consumer can take over from them.
   */
  kafkaGroupId?: string;
  topics: readonly string[];
  /** The event types this consumer applies; other known types on the topics are skipped. */
  handles: readonly EventDefinition[];
  handler: BatchHandler;
  schema: string;
  /** Events per database transaction. */
  maxChunkSize?: number;
  maxBackoffMs?: number;
  /**
   * Partitions worked on at once by this member. Each partition has its own stored offset and its
   * own keys (aggregates), so chunks of different partitions never touch the same rows.
   */
  partitionsConcurrently?: number;
  /** How long the group waits for a silent member before giving its partitions to others. */
  sessionTimeoutMs?: number;
  /**
   * Test seam: runs after a chunk's database commit and before its Kafka offset commit, the window
   * in which a crash must not make anything count twice.
   */
  afterDatabaseCommit?: (chunk: ChunkApplied) => Promise<void>;
}

/** Kafka unreachable or rebalancing: kafkajs marks such errors retriable or names them so. */
function isTransientKafkaError(error: unknown): boolean {
  const { name, retriable } = (error ?? {}) as { name?: string; retriable?: boolean };
  return retriable === true || /KafkaJS(Connection|NumberOfRetriesExceeded|RequestTimeout|Broker)/.test(name ?? '');
}

function isTransient(error: unknown): boolean {
  return isTransientDbError(error) || isTransientKafkaError(error);
}

/** CloudEvents ids are unique per source, so the inbox dedups on the pair. */
function inboxKey({ source, id }: { source: string; id: string }): string {
  return `${source}\u0000${id}`;
}

/** Thrown out of the batch loop to stop processing without committing anything further. */
class AbandonBatch extends Error {}

/**
 * Kafka consumer for the read and write sides alike, built on kafkajs `eachBatch`:
 * per chunk of records, one transaction records the event ids in the inbox (dropping ones already
 * applied), runs the handler, and stores the next offset; only after that commit is the Kafka offset
 * committed. A crash anywhere in between redelivers the chunk, and the inbox makes that harmless.
 * Records that fail decoding, and events the handler rejects deterministically, go to the group's
 * dead-letter topic and the line keeps moving; transient database errors are retried with back-off.
 */
export class BatchConsumer {
  private readonly logger: Logger;
  private readonly decoder: RecordDecoder;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly maxChunkSize: number;
  private readonly maxBackoffMs: number;
  private consumer?: Consumer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly options: BatchConsumerOptions,
  ) {
    this.logger = new Logger(`BatchConsumer:${options.groupId}`);
    this.decoder = new RecordDecoder(options.handles);
    this.deadLetters = new DeadLetterPublisher(kafka, options.groupId);
    this.maxChunkSize = options.maxChunkSize ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  get deadLetterTopic(): string {
    return this.kafka.topic(this.deadLetters.topic);
  }

  async start(): Promise<void> {
    await this.deadLetters.ensureTopic();
    const consumer = this.kafka.kafka.consumer({
      groupId: this.kafka.groupId(this.options.kafkaGroupId ?? this.options.groupId),
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics.map((t) => this.kafka.topic(t)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.consumer = consumer;
  }

  /** Graceful stop: kafkajs waits for the chunk in flight; chunks not yet started are left uncommitted. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async onBatch({ batch, isRunning, isStale, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    for (let start = 0; start < batch.messages.length; start += this.maxChunkSize) {
      if (!isRunning() || isStale()) return;
      const messages = batch.messages.slice(start, start + this.maxChunkSize);
      const nextOffset = (BigInt(messages[messages.length - 1].offset) + 1n).toString();
      try {
        const applied = await this.processChunk(topic, partition, messages, nextOffset, isRunning, heartbeat);
        await this.options.afterDatabaseCommit?.({ topic, partition, nextOffset, applied });
      } catch (error) {
        if (error instanceof AbandonBatch) return;
        throw error;
      }
      resolveOffset(messages[messages.length - 1].offset);
      await this.consumer?.commitOffsets([{ topic, partition, offset: nextOffset }]);
      await heartbeat();
    }
  }

  private async processChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    nextOffset: string,
    isRunning: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<number> {
    const events: InboundEvent[] = [];
    const rejections: Rejection[] = [];
    for (const message of messages) {
      const decoded = this.decoder.decode(topic, partition, message);
      if ('event' in decoded) events.push(decoded.event);
      else if ('rejection' in decoded) rejections.push(decoded.rejection);
    }
    if (rejections.length > 0) {
      this.logger.warn(`dead-lettering ${rejections.length} record(s) from ${topic}[${partition}]: ${rejections[0].reason}`);
      await this.retrying(() => this.deadLetters.publish(rejections), isRunning, heartbeat, () => true);
    }
    return this.applyIsolatingFailures(topic, partition, events, nextOffset, isRunning, heartbeat);
  }

  /**
   * Applies the chunk in one transaction. If the handler fails for a reason that retrying will not
   * fix, applies the events one by one so only the guilty event is dead-lettered.
   */
  private async applyIsolatingFailures(
    topic: string,
    partition: number,
    events: InboundEvent[],
    nextOffset: string,
    isRunning: () => boolean,
    heartbeat: () => Promise<void>,
  ): Promise<number> {
    try {
      return await this.retrying(() => this.applyInTransaction(topic, partition, events, nextOffset), isRunning, heartbeat);
    } catch (error) {
      if (error instanceof AbandonBatch) throw error;
      if (events.length > 1) {
        let applied = 0;
        for (const event of events) {
          const eventNext = (BigInt(event.offset) + 1n).toString();
          applied += await this.applyIsolatingFailures(topic, partition, [event], eventNext, isRunning, heartbeat);
        }
        // Records after the last event (rejected or ignored ones) still move the stored offset.
        await this.retrying(() => this.applyInTransaction(topic, partition, [], nextOffset), isRunning, heartbeat);
        return applied;
      }
      const [event] = events;
      const reason = `handler failed for ${event.attributes.type} ${event.attributes.id}: ${(error as Error).message}`;
      this.logger.error(reason);
      const rejection: Rejection = { ...event, code: DeadLetterCode.handlerFailed, reason };
      await this.retrying(() => this.deadLetters.publish([rejection]), isRunning, heartbeat, () => true);
      await this.retrying(() => this.applyInTransaction(topic, partition, [], nextOffset), isRunning, heartbeat);
      return 0;
    }
  }

  /** One transaction: inbox rows for the fresh events, the handler's effect, the stored offset. */
  private async applyInTransaction(topic: string, partition: number, events: InboundEvent[], nextOffset: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.lockStoredOffset(manager, topic, partition);
      const fresh = await this.recordInInbox(manager, topic, partition, events.filter((e) => BigInt(e.offset) >= stored));
      const outcome = fresh.length > 0 ? await this.options.handler(fresh, manager) : undefined;
      if (outcome?.rejected?.length) {
        this.logger.warn(`dead-lettering ${outcome.rejected.length} refused event(s) from ${topic}[${partition}]: ${outcome.rejected[0].reason}`);
        await this.deadLetters.publish(outcome.rejected.map(({ event, code, reason }) => ({ ...event, code, reason })));
        // A refused event was not applied: once its cause is fixed, the same event sent again is new.
        await forgetInboxEntries(manager, this.options.groupId, outcome.rejected.map((r) => r.event.attributes), this.options.schema);
      }
      await manager.query(
        `INSERT INTO "${this.options.schema}".consumer_offsets (consumer_group, topic, "partition", next_offset)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (consumer_group, topic, "partition")
         DO UPDATE SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
        [this.options.groupId, topic, partition, nextOffset],
      );
      return fresh.length;
    });
  }

  /**
   * The offset this group has durably applied up to on the partition, row-locked until commit: a
   * record below it is never applied again, even if Kafka's committed offset is lost or reset, and
   * two members briefly owning the partition during a rebalance take turns instead of racing.
   */
  private async lockStoredOffset(manager: EntityManager, topic: string, partition: number): Promise<bigint> {
    const rows: { next_offset: string }[] = await manager.query(
      `SELECT next_offset FROM "${this.options.schema}".consumer_offsets
        WHERE consumer_group = $1 AND topic = $2 AND "partition" = $3 FOR UPDATE`,
      [this.options.groupId, topic, partition],
    );
    return rows.length > 0 ? BigInt(rows[0].next_offset) : 0n;
  }

  /** Inserts the events' ids into the inbox and returns the ones never applied before, first copy each. */
  private async recordInInbox(manager: EntityManager, topic: string, partition: number, events: InboundEvent[]): Promise<InboundEvent[]> {
    if (events.length === 0) return [];
    // The same event twice in one chunk (a relay retry) is applied once: the first copy wins.
    const unique = new Map<string, InboundEvent>();
    for (const event of events) if (!unique.has(inboxKey(event.attributes))) unique.set(inboxKey(event.attributes), event);
    const candidates = [...unique.values()];
    const inserted: { event_source: string; event_id: string }[] = await manager.query(
      `INSERT INTO "${this.options.schema}".inbox (consumer_group, event_source, event_id, topic, "partition", "offset")
       SELECT $1, s, i, $2, $3, o FROM unnest($4::text[], $5::text[], $6::bigint[]) AS t(s, i, o)
       ON CONFLICT DO NOTHING
       RETURNING event_source, event_id`,
      [
        this.options.groupId,
        topic,
        partition,
        candidates.map((e) => e.attributes.source),
        candidates.map((e) => e.attributes.id),
        candidates.map((e) => e.offset),
      ],
    );
    const insertedKeys = new Set(inserted.map((r) => inboxKey({ source: r.event_source, id: r.event_id })));
    return candidates.filter((e) => insertedKeys.has(inboxKey(e.attributes)));
  }

  /**
   * Retries transient failures with capped exponential back-off while the consumer runs, keeping
   * the group membership alive; gives up (abandoning the batch, committing nothing) on shutdown.
   */
  private async retrying<T>(
    work: () => Promise<T>,
    isRunning: () => boolean,
    heartbeat: () => Promise<void>,
    isTransientError: (error: unknown) => boolean = isTransient,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        if (!isRunning()) throw new AbandonBatch('consumer stopping');
        const delay = Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(attempt, 10));
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(`transient failure (attempt ${attempt}), retrying in ${delay} ms: ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        await heartbeat().catch(() => undefined);
      }
    }
  }
}
