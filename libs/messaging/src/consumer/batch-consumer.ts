import { Logger } from '@nestjs/common';
import { EventDefinition } from '@niryat/contracts';
import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { KafkaClient } from '../kafka/kafka-client';
import { MessagingMetrics } from '../messaging-metrics';
import { causeOf, inConsumerSpan } from '../tracing/consumer-span';
import { runInMessageContext } from '../tracing/message-context';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { DeadLetterCode, InboundEvent, Rejection } from './inbound-event';
import { forgetInboxEntries } from './inbox';
import { LogPositions, PositionProblem } from './log-positions';
import { RecordDecoder } from './record-decoder';
import { SharedChunk, SharedTransactions } from './shared-transactions';
import { isTransientFailure } from './transient-failures';

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

/** Where a consumer stands in its Kafka group: for readiness and metrics. */
export interface ConsumerMembership {
  group: string;
  /** `member`: joined, with the partitions in `assignment` (possibly none: more members than partitions). */
  state: 'stopped' | 'joining' | 'member' | 'crashed';
  since: Date;
  /** Topic (as consumed, namespace included) → partitions assigned to this member. */
  assignment: Readonly<Record<string, readonly number[]>>;
  /** Why the consumer last crashed, while it is crashed or rejoining after it. */
  error?: string;
}

/** Records of an assigned partition not applied yet: the log's end minus the stored offset. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
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
  /**
   * Topics (base names) that one outside writer owns, with the ce_source its records must carry:
   * a record with another source, or of a type this consumer does not handle, is dead-lettered
   * before its id reaches the inbox (so a forged record never takes the real writer's event id).
   */
  expectedSources?: ReadonlyMap<string, string>;
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
  /**
   * Apply the chunks of the partitions worked on at once in one transaction instead of one each:
   * the chunks that are ready together (up to `maxChunkSize` events) share one inbox insert, one
   * handler call (events of each partition in order, partitions one after another) and one
   * stored-offsets upsert, then each partition commits its own Kafka offset. For handlers whose
   * chunks all update the same few rows (a read model's aggregates), where separate transactions
   * cost a round of statements each and wait for each other's row locks. If such a shared
   * transaction fails for a reason that retrying will not fix, each chunk is applied alone as
   * without this option, so only the guilty event is dead-lettered.
   */
  partitionsInOneTransaction?: boolean;
  /**
   * With partitionsInOneTransaction: give the records back to kafkajs once they are decoded and
   * queued, so the next fetch and its decoding overlap the transaction applying the previous ones
   * instead of taking turns with it. Kafka offsets are committed after the transaction that
   * applied them (never before), so whatever Kafka delivers again after a crash or rebalance is
   * already in the stored offsets and skipped. At most `maxChunkSize` events wait beside the
   * transaction in flight.
   */
  fetchWhileApplying?: boolean;
  /**
   * Bytes a fetch waits for (up to 100 ms) before Kafka answers it. 1 by default: every fetch is
   * answered as soon as anything is there, which costs Kafka and the consumer a request per few
   * records when records trickle in while a transaction applies (fetchWhileApplying).
   */
  fetchMinBytes?: number;
  /** How long the group waits for a silent member before giving its partitions to others. */
  sessionTimeoutMs?: number;
  /** Reports applied transactions and dead letters (the service's /metrics). */
  metrics?: MessagingMetrics;
  /**
   * Test seam: runs after a chunk's database commit and before its Kafka offset commit, the window
   * in which a crash must not make anything count twice.
   */
  afterDatabaseCommit?: (chunk: ChunkApplied) => Promise<void>;
}

/** How often a consumer heartbeats while a transaction applies: well inside any session timeout. */
const HEARTBEAT_WHILE_APPLYING_MS = 2_000;

/** CloudEvents ids are unique per source, so the inbox dedups on the pair. */
function inboxKey({ source, id }: { source: string; id: string }): string {
  return `${source}\u0000${id}`;
}

/** Thrown out of the batch loop to stop processing without committing anything further. */
class AbandonBatch extends Error {}

/** A partition's next events and the offset the group resumes from once they are applied. */
interface Chunk {
  topic: string;
  partition: number;
  events: InboundEvent[];
  nextOffset: string;
}

/** What the batch being worked on offers: whether to go on, and a heartbeat to stay in the group. */
interface BatchControl {
  isRunning: () => boolean;
  isStale: () => boolean;
  heartbeat: () => Promise<void>;
}

/** A chunk for the shared transactions (partitionsInOneTransaction). */
type QueuedChunk = Chunk & SharedChunk & { control: BatchControl };

const partitionKey = ({ topic, partition }: { topic: string; partition: number }) => `${topic}\u0000${partition}`;

/** Where a partition's applied records end: the offset the group resumes from. */
interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** Keeps, per partition, the furthest offset of the ones given to it. */
function keepFurthest(furthest: Map<string, PartitionOffset>, next: PartitionOffset): void {
  const seen = furthest.get(partitionKey(next));
  if (!seen || BigInt(next.offset) > BigInt(seen.offset)) furthest.set(partitionKey(next), next);
}

/**
 * Kafka consumer for the read and write sides alike, built on kafkajs `eachBatch`:
 * per chunk of records, one transaction records the event ids in the inbox (dropping ones already
 * applied), runs the handler, and stores the next offset; only after that commit is the Kafka offset
 * committed. A crash anywhere in between redelivers the chunk, and the inbox makes that harmless.
 * Records that fail decoding, and events the handler rejects deterministically, go to the group's
 * dead-letter topic and the line keeps moving. Failures of the infrastructure (the database or Kafka
 * away for a moment, dead letters the broker did not take yet) are retried with back-off and never
 * charged to an event (see isTransientFailure).
 */
export class BatchConsumer {
  private readonly logger: Logger;
  private readonly decoder: RecordDecoder;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly maxChunkSize: number;
  private readonly maxBackoffMs: number;
  private consumer?: Consumer;
  /** partitionsInOneTransaction: the chunks of every partition, applied together. */
  private readonly shared?: SharedTransactions<QueuedChunk>;
  /** fetchWhileApplying: Kafka offsets of applied chunks not committed yet, and the commit in flight. */
  private readonly offsetsToCommit = new Map<string, PartitionOffset>();
  private readonly seamsToAwait: Promise<void>[] = [];
  private kafkaCommits?: Promise<void>;
  private stopping = false;
  /** Whether each partition's stored offset belongs to the log read now (see LogPositions). */
  private readonly positions: LogPositions;
  private clusterId = '';
  /** The check of the partitions assigned at the last rebalance; each batch waits for it. */
  private assignmentChecked: Promise<void> = Promise.resolve();
  private member: Omit<ConsumerMembership, 'group'> = { state: 'stopped', since: new Date(), assignment: {} };

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly options: BatchConsumerOptions,
  ) {
    this.logger = new Logger(`BatchConsumer:${options.groupId}`);
    this.decoder = new RecordDecoder(options.handles, new Map([...(options.expectedSources ?? [])].map(([topic, source]) => [kafka.topic(topic), source])));
    this.deadLetters = new DeadLetterPublisher(kafka, options.groupId, options.schema, options.metrics);
    this.maxChunkSize = options.maxChunkSize ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.positions = new LogPositions(kafka, dataSource, options.schema, options.groupId);
    if (options.fetchWhileApplying && !options.partitionsInOneTransaction) throw new Error('fetchWhileApplying needs partitionsInOneTransaction');
    if (options.partitionsInOneTransaction) {
      this.shared = new SharedTransactions<QueuedChunk>({
        maxEvents: this.maxChunkSize,
        applyTogether: (chunks) => this.retrying(() => this.applyInTransaction(chunks), chunks[0].control),
        applyAlone: (chunk) => this.applyIsolatingFailures(chunk, chunk.control),
        dropped: () => new AbandonBatch('consumer stopping'),
      });
    }
  }

  get deadLetterTopic(): string {
    return this.kafka.topic(this.deadLetters.topic);
  }

  /** Partitions this consumer will not apply because their stored position does not fit the log: for /health. */
  positionProblems(): PositionProblem[] {
    return this.positions.list();
  }

  /** Whether the consumer is a member of its group, and which partitions it holds. */
  membership(): ConsumerMembership {
    return { group: this.options.groupId, ...this.member };
  }

  /**
   * The lag of every partition assigned to this member, from the stored offsets (what is applied)
   * and the log ends Kafka reports now; a partition never applied counts from the log's start.
   */
  async partitionLags(): Promise<PartitionLag[]> {
    const assignment = Object.entries(this.member.state === 'member' ? this.member.assignment : {}).filter(([, partitions]) => partitions.length > 0);
    if (assignment.length === 0) return [];
    const admin = await this.kafka.admin();
    const [stored, logs] = await Promise.all([
      this.dataSource.query(`SELECT topic, "partition", next_offset::text AS next_offset FROM "${this.options.schema}".consumer_offsets WHERE consumer_group = $1 AND topic = ANY($2::text[])`, [
        this.options.groupId,
        assignment.map(([topic]) => topic),
      ]) as Promise<{ topic: string; partition: number; next_offset: string }[]>,
      Promise.all(assignment.map(async ([topic]) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
    ]);
    const next = new Map(stored.map((row) => [partitionKey(row), BigInt(row.next_offset)]));
    const ranges = new Map(logs.flatMap(([topic, offsets]) => offsets.map((o) => [partitionKey({ topic, partition: o.partition }), o] as const)));
    return assignment.flatMap(([topic, partitions]) =>
      partitions.flatMap((partition) => {
        const range = ranges.get(partitionKey({ topic, partition }));
        if (!range) return [];
        const lag = BigInt(range.high) - (next.get(partitionKey({ topic, partition })) ?? BigInt(range.low));
        return [{ topic, partition, lag: Number(lag > 0n ? lag : 0n) }];
      }),
    );
  }

  private joined(state: ConsumerMembership['state'], changes: Partial<Omit<ConsumerMembership, 'group' | 'state' | 'since'>> = {}): void {
    this.member = { ...this.member, ...changes, state, since: new Date() };
  }

  async start(): Promise<void> {
    await this.deadLetters.ensureTopic();
    this.clusterId = await this.positions.clusterId();
    const consumer = this.kafka.kafka.consumer({
      groupId: this.kafka.groupId(this.options.kafkaGroupId ?? this.options.groupId),
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      minBytes: this.options.fetchMinBytes ?? 1,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.stopping = false;
    this.shared?.reopen();
    this.joined('joining', { assignment: {}, error: undefined });
    consumer.on(consumer.events.REBALANCING, () => this.joined('joining'));
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.joined(payload.restart ? 'joining' : 'crashed', { assignment: {}, error: `${payload.error.name}: ${payload.error.message}` }),
    );
    consumer.on(consumer.events.STOP, () => this.joined('stopped', { assignment: {} }));
    // Every join reads from the committed offsets again, so nothing the shared transactions dropped is skipped.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined('member', { assignment: payload.memberAssignment, error: undefined });
      this.shared?.reopen();
      // A failure here is met again by the batch's own check (problemOf), which retries.
      this.assignmentChecked = this.positions.checkAssignment(payload.memberAssignment).catch(() => undefined);
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

  /**
   * Graceful stop: the transaction in flight commits (and its Kafka offsets with it); chunks not yet
   * in a transaction are left uncommitted, for Kafka to deliver again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.shared?.idle();
    while (this.kafkaCommits) await this.kafkaCommits;
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
    await this.positions.close();
    this.joined('stopped', { assignment: {} });
  }

  private async onBatch({ batch, isRunning, isStale, heartbeat, resolveOffset, pause }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const control: BatchControl = { isRunning, isStale, heartbeat };
    // A stored position that does not fit the log: apply nothing of the partition, never skip.
    await this.assignmentChecked;
    if (await this.retrying(() => this.positions.problemOf(topic, partition), control)) {
      pause();
      return;
    }
    for (let start = 0; start < batch.messages.length; start += this.maxChunkSize) {
      if (!isRunning() || isStale() || this.stopping) return;
      const messages = batch.messages.slice(start, start + this.maxChunkSize);
      const lastOffset = messages[messages.length - 1].offset;
      const nextOffset = (BigInt(lastOffset) + 1n).toString();
      if (this.options.fetchWhileApplying) {
        await this.queueInBackground(await this.decodeChunk(topic, partition, messages, nextOffset, control), control);
        resolveOffset(lastOffset);
        continue;
      }
      try {
        const chunk = await this.decodeChunk(topic, partition, messages, nextOffset, control);
        const applied = this.shared ? await this.shared.add(this.queued(chunk, control)) : await this.applyIsolatingFailures(chunk, control);
        await this.options.afterDatabaseCommit?.({ topic, partition, nextOffset, applied });
      } catch (error) {
        if (error instanceof AbandonBatch) return;
        throw error;
      }
      resolveOffset(lastOffset);
      await this.consumer?.commitOffsets([{ topic, partition, offset: nextOffset }]);
      await heartbeat();
    }
  }

  /** Decodes the records (dead-lettering the ones that fail) into the chunk of events to apply. */
  private async decodeChunk(topic: string, partition: number, messages: KafkaMessage[], nextOffset: string, control: BatchControl): Promise<Chunk> {
    const events: InboundEvent[] = [];
    const rejections: Rejection[] = [];
    for (const [i, message] of messages.entries()) {
      // Beside a transaction in flight, let its replies in between records.
      if (this.options.fetchWhileApplying && i > 0 && i % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
      const decoded = this.decoder.decode(topic, partition, message);
      if ('event' in decoded) events.push(decoded.event);
      else if ('rejection' in decoded) rejections.push(decoded.rejection);
    }
    if (rejections.length > 0) {
      this.logger.warn(`dead-lettering ${rejections.length} record(s) from ${topic}[${partition}]: ${rejections[0].reason}`);
      await this.deadLetter(rejections, this.dataSource.manager, control);
    }
    return { topic, partition, events, nextOffset };
  }

  private queued(chunk: Chunk, control: BatchControl): QueuedChunk {
    // Waiting for its turn, a chunk handed back to kafkajs is not told when its batch goes stale.
    const stillWanted = () => control.isRunning() && !this.stopping && (this.options.fetchWhileApplying === true || !control.isStale());
    return { ...chunk, control, stillWanted };
  }

  /**
   * fetchWhileApplying: queues the chunk once there is room and returns; its Kafka offset is
   * committed after its transaction. A chunk that could not be applied at all stops the queue and
   * fails the next batch, so kafkajs restarts the consumer from the committed offsets.
   */
  private async queueInBackground(chunk: Chunk, control: BatchControl): Promise<void> {
    const shared = this.shared as SharedTransactions<QueuedChunk>;
    await shared.room();
    if (shared.failed !== undefined) throw shared.failed;
    shared.add(this.queued(chunk, control)).then(
      (applied) => this.applied(chunk, applied),
      (error: unknown) => {
        if (!(error instanceof AbandonBatch)) this.logger.error(`could not apply ${chunk.topic}[${chunk.partition}] up to ${chunk.nextOffset}: ${(error as Error).message}`);
      },
    );
  }

  /**
   * After the transaction that applied the chunk: its Kafka offset, which only saves re-reading.
   * Offsets applied while a commit is in flight go together in the next one (one request for
   * every partition, not one per chunk).
   */
  private applied({ topic, partition, nextOffset }: Chunk, applied: number): void {
    keepFurthest(this.offsetsToCommit, { topic, partition, offset: nextOffset });
    if (this.options.afterDatabaseCommit) this.seamsToAwait.push(this.options.afterDatabaseCommit({ topic, partition, nextOffset, applied }));
    this.kafkaCommits ??= this.commitOffsets();
  }

  private async commitOffsets(): Promise<void> {
    try {
      while (this.offsetsToCommit.size > 0) {
        const offsets = [...this.offsetsToCommit.values()];
        this.offsetsToCommit.clear();
        const seams = this.seamsToAwait.splice(0);
        try {
          await Promise.all(seams);
          await this.consumer?.commitOffsets(offsets);
        } catch (error) {
          // The stored offsets are the truth: records Kafka delivers again are skipped.
          this.logger.warn(`Kafka offset commit of ${offsets.length} partition(s) failed: ${(error as Error).message}`);
        }
      }
    } finally {
      this.kafkaCommits = undefined;
    }
  }

  /**
   * Applies the chunk in one transaction. If the handler fails for a reason that retrying will not
   * fix, applies the events one by one so only the guilty event is dead-lettered.
   */
  private async applyIsolatingFailures(chunk: Chunk, control: BatchControl): Promise<number> {
    try {
      const [applied] = await this.retrying(() => this.applyInTransaction([chunk]), control);
      return applied;
    } catch (error) {
      if (error instanceof AbandonBatch) throw error;
      const { topic, partition, events, nextOffset } = chunk;
      const moveOffset = () => this.retrying(() => this.applyInTransaction([{ topic, partition, events: [], nextOffset }]), control);
      if (events.length > 1) {
        let applied = 0;
        for (const event of events) {
          applied += await this.applyIsolatingFailures({ topic, partition, events: [event], nextOffset: (BigInt(event.offset) + 1n).toString() }, control);
        }
        // Records after the last event (rejected or ignored ones) still move the stored offset.
        await moveOffset();
        return applied;
      }
      const [event] = events;
      const reason = `handler failed for ${event.attributes.type} ${event.attributes.id}: ${(error as Error).message}`;
      this.logger.error(reason);
      const rejection: Rejection = { ...event, code: DeadLetterCode.handlerFailed, reason };
      await this.deadLetter([rejection], this.dataSource.manager, control);
      await moveOffset();
      return 0;
    }
  }

  /**
   * Publishes dead letters, retrying what may pass later; one the broker can never take (too
   * large, refused) is set aside in the database with the reason instead, and the line moves on.
   * Inside a transaction (no `control`) a failure to publish fails the transaction, which is retried
   * whole: the broker being away is never the refused event's fault (DeadLetterNotPublished).
   * A retry after some requests went through sends those letters again: dead letters are at least
   * once (a replay of both copies is still applied once).
   */
  private async deadLetter(rejections: readonly Rejection[], manager: EntityManager, control?: BatchControl): Promise<void> {
    const publish = () => this.deadLetters.publish(rejections, manager);
    if (control) await this.retrying(publish, control);
    else await publish();
  }

  /**
   * One transaction: inbox rows for the fresh events, the handler's effect, the stored offsets.
   * Returns the number of events applied per chunk.
   */
  private async applyInTransaction(chunks: readonly Chunk[]): Promise<number[]> {
    const events = chunks.flatMap((c) => c.events);
    if (events.length === 0) return this.transaction(chunks);
    // A span per attempt, parented or linked to the records' traces; log lines inside it name them.
    return inConsumerSpan(this.options.groupId, events, async () => {
      const started = performance.now();
      let fresh: InboundEvent[] = [];
      const applied = await this.transaction(chunks, (events) => (fresh = events));
      const seconds = (performance.now() - started) / 1000;
      this.logger.debug(`applied ${fresh.length} of ${events.length} event(s) in ${Math.round(seconds * 1000)} ms`);
      if (this.options.metrics) {
        const count = (list: readonly InboundEvent[]) => list.reduce((m, e) => m.set(e.topic, (m.get(e.topic) ?? 0) + 1), new Map<string, number>());
        const appliedByTopic = count(fresh);
        const skipped = new Map([...count(events)].map(([topic, n]) => [topic, n - (appliedByTopic.get(topic) ?? 0)] as const).filter(([, n]) => n > 0));
        this.options.metrics.consumerTransaction(this.options.groupId, { events: events.length, applied: appliedByTopic, skipped, seconds });
      }
      return applied;
    });
  }

  /** The transaction of applyInTransaction; `fresh` learns which events it applied. */
  private async transaction(chunks: readonly Chunk[], freshEvents?: (events: InboundEvent[]) => void): Promise<number[]> {
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.lockStoredOffsets(manager, chunks);
      const candidates = chunks.flatMap((c) => c.events.filter((e) => BigInt(e.offset) >= (stored.get(partitionKey(c)) ?? 0n)));
      const fresh = await this.recordInInbox(manager, candidates);
      freshEvents?.(fresh);
      // What the handler writes is caused by the events it applies, not by the copies it skips.
      const outcome = fresh.length > 0 ? await runInMessageContext(causeOf(fresh), () => this.options.handler(fresh, manager)) : undefined;
      if (outcome?.rejected?.length) {
        const where = [...new Set(outcome.rejected.map(({ event }) => `${event.topic}[${event.partition}]`))].join(', ');
        this.logger.warn(`dead-lettering ${outcome.rejected.length} refused event(s) from ${where}: ${outcome.rejected[0].reason}`);
        await this.deadLetter(
          outcome.rejected.map(({ event, code, reason }) => ({ ...event, code, reason })),
          manager,
        );
        // A refused event was not applied: once its cause is fixed, the same event sent again is new.
        await forgetInboxEntries(manager, this.options.groupId, outcome.rejected.map((r) => r.event.attributes), this.options.schema);
      }
      // One row per partition: fetchWhileApplying may put several chunks of one in a transaction.
      const next = new Map<string, PartitionOffset>();
      for (const c of chunks) keepFurthest(next, { topic: c.topic, partition: c.partition, offset: c.nextOffset });
      const ends = [...next.values()];
      await manager.query(
        `INSERT INTO "${this.options.schema}".consumer_offsets (consumer_group, topic, "partition", next_offset, cluster_id)
         SELECT $1, t, p, o, $5 FROM unnest($2::text[], $3::int[], $4::bigint[]) AS c(t, p, o)
         ON CONFLICT (consumer_group, topic, "partition")
         DO UPDATE SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset), cluster_id = EXCLUDED.cluster_id, updated_at = now()`,
        [this.options.groupId, ends.map((c) => c.topic), ends.map((c) => c.partition), ends.map((c) => c.offset), this.clusterId],
      );
      const freshPerPartition = new Map<string, number>();
      for (const event of fresh) freshPerPartition.set(partitionKey(event), (freshPerPartition.get(partitionKey(event)) ?? 0) + 1);
      return chunks.map((c) => freshPerPartition.get(partitionKey(c)) ?? 0);
    });
  }

  /**
   * The offsets this group has durably applied up to on the chunks' partitions, row-locked until
   * commit (in one order, so members sharing partitions never deadlock): a record below it is
   * never applied again, even if Kafka's committed offset is lost or reset, and two members briefly
   * owning a partition during a rebalance take turns instead of racing.
   */
  private async lockStoredOffsets(manager: EntityManager, chunks: readonly Chunk[]): Promise<Map<string, bigint>> {
    const rows: { topic: string; partition: number; next_offset: string }[] = await manager.query(
      `SELECT o.topic, o."partition", o.next_offset FROM "${this.options.schema}".consumer_offsets o
         JOIN unnest($2::text[], $3::int[]) AS c(t, p) ON o.topic = c.t AND o."partition" = c.p
        WHERE o.consumer_group = $1 ORDER BY o.topic, o."partition" FOR UPDATE OF o`,
      [this.options.groupId, chunks.map((c) => c.topic), chunks.map((c) => c.partition)],
    );
    return new Map(rows.map((r) => [partitionKey(r), BigInt(r.next_offset)]));
  }

  /** Inserts the events' ids into the inbox and returns the ones never applied before, first copy each. */
  private async recordInInbox(manager: EntityManager, events: InboundEvent[]): Promise<InboundEvent[]> {
    if (events.length === 0) return [];
    // The same event twice in one chunk (a relay retry) is applied once: the first copy wins.
    const unique = new Map<string, InboundEvent>();
    for (const event of events) if (!unique.has(inboxKey(event.attributes))) unique.set(inboxKey(event.attributes), event);
    const candidates = [...unique.values()];
    const inserted: { event_source: string; event_id: string }[] = await manager.query(
      `INSERT INTO "${this.options.schema}".inbox (consumer_group, event_source, event_id, topic, "partition", "offset")
       SELECT $1, s, i, t, p, o FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[]) AS e(s, i, t, p, o)
       ON CONFLICT DO NOTHING
       RETURNING event_source, event_id`,
      [
        this.options.groupId,
        candidates.map((e) => e.attributes.source),
        candidates.map((e) => e.attributes.id),
        candidates.map((e) => e.topic),
        candidates.map((e) => e.partition),
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
  private async retrying<T>(work: () => Promise<T>, { isRunning, heartbeat }: BatchControl): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      // A long transaction must not cost the group membership: heartbeat while it runs.
      const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_WHILE_APPLYING_MS);
      try {
        return await work();
      } catch (error) {
        if (!isTransientFailure(error)) throw error;
        if (!isRunning()) throw new AbandonBatch('consumer stopping');
        const delay = Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(attempt, 10));
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(`transient failure (attempt ${attempt}), retrying in ${delay} ms: ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        await heartbeat().catch(() => undefined);
      } finally {
        clearInterval(beating);
      }
    }
  }
}
