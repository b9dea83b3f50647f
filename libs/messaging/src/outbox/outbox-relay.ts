import { Logger } from '@nestjs/common';
import { Link, SpanKind, trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { CloudEventAttributes, toKafkaHeaders } from '@niryat/contracts';
import { isPermanentProduceError } from '../consumer/dead-letter-publisher';
import { KafkaClient } from '../kafka/kafka-client';
import { MessagingMetrics } from '../messaging-metrics';
import { endingSpan, MESSAGING_TRACER, remoteContextOf, traceContextOfEvent } from '../tracing/message-context';

/** Bytes of values per pass, whatever the row count: one Kafka request stays well under the broker's limit. */
const MAX_BATCH_BYTES = 512 * 1024;

export interface OutboxRelayOptions {
  schema: string;
  /** Rows published per Kafka request and per database transaction. */
  batchSize?: number;
  /** How often an idle relay looks for new rows. */
  pollIntervalMs?: number;
  /** Ceiling of the back-off while Kafka or the database is unreachable. */
  maxBackoffMs?: number;
  /** Reports rows published, how long they waited, and failed passes (the service's /metrics). */
  metrics?: Pick<MessagingMetrics, 'outboxPublished' | 'outboxPassFailed'>;
}

/** Links a relay pass's span keeps to the traces of the rows it sends. */
const MAX_LINKS = 64;

interface OutboxRow {
  seq: string;
  topic: string;
  record_key: string;
  attributes: CloudEventAttributes;
  payload: unknown;
  created_at: Date;
}

/** A pending row with its payload serialized once: the bytes that are measured are the bytes sent. */
type PendingRow = Omit<OutboxRow, 'payload'> & { value: string };

/** The first rows of the pass whose values add up to at most MAX_BATCH_BYTES (always at least one). */
function boundedByBytes(rows: PendingRow[]): PendingRow[] {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += Buffer.byteLength(rows[i].value);
    if (bytes > MAX_BATCH_BYTES && i > 0) return rows.slice(0, i);
  }
  return rows;
}

/**
 * Publishes outbox rows to Kafka in commit order, then marks them published.
 *
 * Delivery is at least once: a crash between the Kafka acknowledgement and the database commit
 * publishes the row again on the next pass, with the same `ce_id`, which consumers' inboxes drop.
 * One relay per schema works at a time (a transaction-scoped advisory lock), so the order of rows
 * for one key is the order on its partition even with several replicas of a service.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private running?: Promise<void>;
  private stopping = false;
  /** While the relay sleeps between passes: ends the sleep. */
  private wake?: () => void;
  /** A nudge that came during a pass: the next pass starts without sleeping. */
  private nudged = false;
  private consecutiveFailures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Lets an in-flight pass finish (its rows are then marked published), then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /**
   * Asks the relay to look now, e.g. right after a transaction that wrote to the outbox: at once if
   * it sleeps, else as soon as its pass in flight ends (that pass may have missed the new rows).
   */
  nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /** Publishes one batch of pending rows; returns how many were published. */
  async publishPending(): Promise<number> {
    const schema = this.options.schema;
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    let rows: PendingRow[] = [];
    try {
      await queryRunner.startTransaction();
      const [{ locked }] = await queryRunner.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
        `${schema}.outbox`,
      ]);
      if (!locked) {
        await queryRunner.rollbackTransaction();
        return 0;
      }
      // Pending rows in commit order, but none of a key whose earlier row was set aside: per-key order holds.
      const candidates: OutboxRow[] = await queryRunner.query(
        `SELECT o.seq, o.topic, o.record_key, o.attributes, o.payload, o.created_at FROM "${schema}".outbox o
          WHERE o.published_at IS NULL AND o.set_aside_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM "${schema}".outbox b
                             WHERE b.set_aside_at IS NOT NULL AND b.published_at IS NULL AND b.topic = o.topic AND b.record_key = o.record_key AND b.seq < o.seq)
          ORDER BY o.seq LIMIT $1`,
        [this.batchSize],
      );
      rows = boundedByBytes(candidates.map(({ payload, ...row }) => ({ ...row, value: JSON.stringify(payload) })));
      let published = rows;
      if (rows.length > 0) {
        published = await this.sendOrSetAside(rows, async (row, error) => {
          await queryRunner.query(`UPDATE "${schema}".outbox SET set_aside_at = now(), attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [
            row.seq,
            String((error as Error)?.message ?? error).slice(0, 1000),
          ]);
        });
        await queryRunner.query(
          `UPDATE "${schema}".outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL
            WHERE seq = ANY($1::bigint[])`,
          [published.map((r) => r.seq)],
        );
      }
      await queryRunner.commitTransaction();
      if (published.length > 0 && this.options.metrics) {
        const now = Date.now();
        this.options.metrics.outboxPublished(published.map((r) => ({ topic: this.kafka.topic(r.topic), waitedSeconds: Math.max(0, now - new Date(r.created_at).getTime()) / 1000 })));
      }
      return published.length;
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      if (rows.length > 0) await this.recordFailure(rows, error);
      throw error;
    } finally {
      await queryRunner.release();
    }
  }

  /**
   * Sends the rows; if the broker refuses the batch for good, sends them one at a time in order,
   * setting aside each it refuses for good (with an error line) and holding back the later rows of
   * that key. Returns the rows published.
   */
  private async sendOrSetAside(rows: PendingRow[], setAside: (row: PendingRow, error: unknown) => Promise<void>): Promise<PendingRow[]> {
    try {
      await this.send(rows);
      return rows;
    } catch (error) {
      if (!isPermanentProduceError(error)) throw error;
    }
    const published: PendingRow[] = [];
    const stuck = new Set<string>();
    for (const row of rows) {
      const key = `${row.topic}\u0000${row.record_key}`;
      if (stuck.has(key)) continue;
      try {
        await this.send([row]);
        published.push(row);
      } catch (error) {
        if (!isPermanentProduceError(error)) throw error;
        stuck.add(key);
        await setAside(row, error);
        this.logger.error(
          `outbox row ${row.seq} (${row.attributes.type}, ${row.topic} key ${row.record_key}) cannot be published (${(error as Error).message}): ` +
            `set aside; later rows of that key wait, the rest flows (see outbox.set_aside_at)`,
        );
      }
    }
    return published;
  }

  /**
   * Sends the rows in one request, in a PRODUCER span linked to the traces the rows belong to (each
   * record keeps its own `traceparent`: its consumers continue the trace it was written in).
   */
  private async send(rows: PendingRow[]): Promise<void> {
    const links: Link[] = [];
    for (const row of rows) {
      if (links.length >= MAX_LINKS) break;
      const context = trace.getSpanContext(remoteContextOf(traceContextOfEvent(row.attributes)));
      if (context) links.push({ context });
    }
    const span = trace.getTracer(MESSAGING_TRACER).startSpan(`send outbox ${this.options.schema}`, {
      kind: SpanKind.PRODUCER,
      root: true,
      links,
      attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.batch.message_count': rows.length },
    });
    await endingSpan(span, () => this.sendRows(rows));
  }

  private async sendRows(rows: PendingRow[]): Promise<void> {
    const producer = await this.kafka.producer();
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const topic = this.kafka.topic(row.topic);
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: row.record_key, value: row.value, headers: toKafkaHeaders(row.attributes) });
      byTopic.set(topic, messages);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private async recordFailure(rows: PendingRow[], error: unknown): Promise<void> {
    await this.dataSource
      .query(`UPDATE "${this.options.schema}".outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])`, [
        rows.map((r) => r.seq),
        String((error as Error)?.message ?? error).slice(0, 1000),
      ])
      .catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let published = 0;
      try {
        published = await this.publishPending();
        if (this.consecutiveFailures > 0) this.logger.log(`outbox relay recovered after ${this.consecutiveFailures} failed attempt(s)`);
        this.consecutiveFailures = 0;
      } catch (error) {
        this.consecutiveFailures += 1;
        this.options.metrics?.outboxPassFailed();
        const level = this.consecutiveFailures === 1 || this.consecutiveFailures % 20 === 0 ? 'warn' : 'debug';
        this.logger[level](
          `outbox relay pass failed (attempt ${this.consecutiveFailures}), rows stay pending: ${(error as Error).message}`,
        );
      }
      if (published >= this.batchSize) continue;
      if (this.nudged && this.consecutiveFailures === 0) {
        this.nudged = false;
        continue;
      }
      const delay =
        this.consecutiveFailures === 0
          ? this.pollIntervalMs
          : Math.min(this.maxBackoffMs, this.pollIntervalMs * 2 ** Math.min(this.consecutiveFailures, 10));
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
