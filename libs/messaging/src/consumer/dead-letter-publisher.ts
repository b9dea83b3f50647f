import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { deadLetterTopicFor } from '@niryat/contracts';
import { IHeaders } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { KafkaClient } from '../kafka/kafka-client';
import { MessagingMetrics } from '../messaging-metrics';
import { Rejection } from './inbound-event';

/** Headers added to a dead-lettered record; the original headers, key and value are kept as they were. */
export const DLQ = {
  code: 'niryat_dlq_code',
  reason: 'niryat_dlq_reason',
  errors: 'niryat_dlq_errors',
  topic: 'niryat_dlq_source_topic',
  partition: 'niryat_dlq_source_partition',
  offset: 'niryat_dlq_source_offset',
  group: 'niryat_dlq_consumer_group',
  failedAt: 'niryat_dlq_failed_at',
  /** Set when the original value was too large to keep: its size and SHA-256 instead (value null). */
  valueBytes: 'niryat_dlq_value_bytes',
  valueSha256: 'niryat_dlq_value_sha256',
  /** Original headers too large to keep, comma-separated: each replaced by its size and SHA-256. */
  headersTruncated: 'niryat_dlq_headers_truncated',
} as const;

/** What a dead letter keeps at most: every copy fits the dead-letter topic whatever the original was. */
export const DEAD_LETTER_LIMITS = { valueBytes: 256 * 1024, headerBytes: 4 * 1024, reasonChars: 2_000, errorsChars: 8_000 } as const;

/**
 * How long dead letters are kept, and so how late one may be replayed: the inbox keeps its entries
 * longer (INBOX_RETENTION_DAYS is at least this plus a day), so a replay never reaches a group that
 * applied the original after that group forgot it.
 */
export const DEAD_LETTER_RETENTION_DAYS = 30;

export const DEAD_LETTER_TOPIC_CONFIG = {
  partitions: 1,
  config: { 'cleanup.policy': 'delete', 'retention.ms': String(DEAD_LETTER_RETENTION_DAYS * 24 * 3600 * 1000), 'max.message.bytes': String(1024 * 1024) },
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text);

/**
 * A produce error no retry can fix: the record is too large, invalid, or not ours to write. The
 * dead letter is then set aside in the database (DeadLetterPublisher) and the line moves on.
 */
export function isPermanentProduceError(error: unknown): boolean {
  const type = (error as { type?: string; cause?: { type?: string } })?.type ?? (error as { cause?: { type?: string } })?.cause?.type;
  return (
    typeof type === 'string' &&
    ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'INVALID_TOPIC_EXCEPTION'].includes(type)
  );
}

/**
 * Dead letters the broker did not take for now: it is away, restarting or moving a leader, or the
 * request timed out. The infrastructure's failure, never the refused events', whatever kafkajs
 * wrapped it in (a lost connection comes out of a send as a non-retriable error): the caller retries.
 */
export class DeadLetterNotPublished extends Error {
  constructor(cause: unknown) {
    super(`dead letters not published for now: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    this.name = 'DeadLetterNotPublished';
  }
}

/** Bytes of dead letters one produce request carries at most: well inside the topic's `max.message.bytes` (1 MiB) per batch. */
const SEND_BYTES = 512 * 1024;

type DeadLetterMessage = { key: Buffer | string | null; value: Buffer | null; headers: IHeaders };

const sizeOf = (m: DeadLetterMessage) =>
  (m.value?.length ?? 0) +
  Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + (v === undefined ? 0 : Array.isArray(v) ? v.reduce((a, x) => a + Buffer.byteLength(x), 0) : Buffer.byteLength(v)), 0);

/**
 * Sends rejected records to the consumer group's dead-letter topic, with the reason in headers,
 * in produce requests of at most 512 KiB. One the broker refuses for good (too large, invalid, not
 * authorised) is set aside in the schema's `dead_letters_set_aside` with the reason, in the
 * caller's transaction, and the rest go on; any other failure throws DeadLetterNotPublished, for the
 * caller to retry.
 */
export class DeadLetterPublisher {
  readonly topic: string;
  private readonly logger = new Logger(DeadLetterPublisher.name);

  constructor(
    private readonly kafka: KafkaClient,
    private readonly consumerGroup: string,
    /** The schema whose dead_letters_set_aside takes what the broker refuses. */
    private readonly schema: string,
    /** Counts the dead letters by reason code, once they are published or set aside. */
    private readonly metrics?: Pick<MessagingMetrics, 'deadLettered'>,
  ) {
    this.topic = deadLetterTopicFor(consumerGroup);
  }

  async ensureTopic(): Promise<void> {
    await this.kafka.ensureTopics([{ name: this.topic as never, ...DEAD_LETTER_TOPIC_CONFIG }]);
  }

  /** Publishes the dead letters, or sets aside (through `manager`) those the broker refuses for good; how many were set aside. */
  async publish(rejections: readonly Rejection[], manager: EntityManager): Promise<number> {
    if (rejections.length === 0) return 0;
    const failedAt = new Date().toISOString();
    const letters = rejections.map((r) => ({ rejection: r, message: this.messageOf(r, failedAt) }));
    const refused: { rejection: Rejection; error: unknown }[] = [];
    let batch: typeof letters = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length > 0) refused.push(...(await this.sendOrSplit(batch)));
      batch = [];
      bytes = 0;
    };
    for (const letter of letters) {
      const size = sizeOf(letter.message);
      if (batch.length > 0 && bytes + size > SEND_BYTES) await flush();
      batch.push(letter);
      bytes += size;
    }
    await flush();
    if (refused.length > 0) await this.setAside(manager, refused);
    if (this.metrics) {
      const byCode = new Map<string, number>();
      for (const { code } of rejections) byCode.set(code, (byCode.get(code) ?? 0) + 1);
      for (const [code, count] of byCode) this.metrics.deadLettered(this.consumerGroup, code, count);
    }
    return refused.length;
  }

  /** Sends one request; refused for good as a whole, each letter alone, to find the ones the broker will never take. */
  private async sendOrSplit(batch: readonly { rejection: Rejection; message: DeadLetterMessage }[]): Promise<{ rejection: Rejection; error: unknown }[]> {
    const send = async (messages: DeadLetterMessage[]) => (await this.kafka.producer()).send({ topic: this.kafka.topic(this.topic), acks: -1, messages });
    try {
      await send(batch.map((l) => l.message));
      return [];
    } catch (error) {
      if (!isPermanentProduceError(error)) throw new DeadLetterNotPublished(error);
      if (batch.length === 1) return [{ rejection: batch[0].rejection, error }];
    }
    const refused: { rejection: Rejection; error: unknown }[] = [];
    for (const letter of batch) refused.push(...(await this.sendOrSplit([letter])));
    return refused;
  }

  private async setAside(manager: EntityManager, refused: readonly { rejection: Rejection; error: unknown }[]): Promise<void> {
    const describe = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`;
    this.logger.error(
      `${refused.length} dead letter(s) of ${this.consumerGroup} cannot be published (${describe(refused[0].error)}): set aside in ${this.schema}.dead_letters_set_aside, ` +
        `the line goes on (npm run deadletters -- list)`,
    );
    await manager.query(
      `INSERT INTO "${this.schema}".dead_letters_set_aside
         (consumer_group, topic, "partition", "offset", code, reason, publish_error, record_key, value_bytes, value_sha256, headers)
       SELECT $1, r.topic, r.partition, r.offset, r.code, r.reason, r.publish_error, r.record_key, r.value_bytes, r.value_sha256, r.headers
         FROM jsonb_to_recordset($2::jsonb) AS r(topic text, partition int, "offset" bigint, code text, reason text, publish_error text, record_key text,
                                                 value_bytes int, value_sha256 text, headers jsonb)`,
      [
        this.consumerGroup,
        JSON.stringify(
          refused.map(({ rejection: r, error }) => ({
            topic: r.topic,
            partition: r.partition,
            offset: r.offset,
            code: r.code,
            reason: r.reason.slice(0, DEAD_LETTER_LIMITS.reasonChars),
            publish_error: describe(error),
            record_key: r.message.key ? r.message.key.toString('utf8').slice(0, 1_000) : null,
            value_bytes: r.message.value?.length ?? 0,
            value_sha256: r.message.value ? sha256(r.message.value) : null,
            headers: Object.fromEntries(Object.entries(r.message.headers ?? {}).map(([k, v]) => [k, String(v ?? '').slice(0, 1_000)])),
          })),
        ),
      ],
    );
  }

  /** The dead letter of one rejection: the original key, headers and value (bounded), and the reason. */
  private messageOf(r: Rejection, failedAt: string): DeadLetterMessage {
    const truncated: string[] = [];
    const original: IHeaders = {};
    for (const [name, value] of Object.entries(r.message.headers ?? {})) {
      const bytes = value === undefined ? 0 : Array.isArray(value) ? value.reduce((n, v) => n + Buffer.byteLength(v), 0) : Buffer.byteLength(value);
      if (bytes <= DEAD_LETTER_LIMITS.headerBytes) original[name] = value;
      else {
        truncated.push(name);
        const whole = Array.isArray(value) ? Buffer.concat(value.map((v) => Buffer.from(v))) : Buffer.from(value as string | Buffer);
        original[name] = `[${bytes} bytes, sha256 ${sha256(whole)}]`;
      }
    }
    const headers: IHeaders = {
      ...original,
      [DLQ.code]: r.code,
      [DLQ.reason]: shortened(r.reason, DEAD_LETTER_LIMITS.reasonChars),
      [DLQ.topic]: r.topic,
      [DLQ.partition]: String(r.partition),
      [DLQ.offset]: r.offset,
      [DLQ.group]: this.consumerGroup,
      [DLQ.failedAt]: failedAt,
    };
    if (r.errors) headers[DLQ.errors] = shortened(JSON.stringify(r.errors), DEAD_LETTER_LIMITS.errorsChars);
    if (truncated.length > 0) headers[DLQ.headersTruncated] = truncated.join(',');
    const value = r.message.value;
    if (value && value.length > DEAD_LETTER_LIMITS.valueBytes) {
      headers[DLQ.valueBytes] = String(value.length);
      headers[DLQ.valueSha256] = sha256(value);
      return { key: r.message.key, value: null, headers };
    }
    return { key: r.message.key, value, headers };
  }
}
