import { createHash } from 'node:crypto';
import { deadLetterTopicFor } from '@niryat/contracts';
import { IHeaders } from 'kafkajs';
import { KafkaClient } from '../kafka/kafka-client';
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

export const DEAD_LETTER_TOPIC_CONFIG = {
  partitions: 1,
  config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * 24 * 3600 * 1000), 'max.message.bytes': String(1024 * 1024) },
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text);

/**
 * A produce error no retry can fix: the record is too large, invalid, or not ours to write. The
 * dead letter is then set aside in the database (BatchConsumer) and the line moves on.
 */
export function isPermanentProduceError(error: unknown): boolean {
  const type = (error as { type?: string; cause?: { type?: string } })?.type ?? (error as { cause?: { type?: string } })?.cause?.type;
  return (
    typeof type === 'string' &&
    ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'INVALID_TOPIC_EXCEPTION'].includes(type)
  );
}

/** Sends rejected records to the consumer group's dead-letter topic, with the reason in headers. */
export class DeadLetterPublisher {
  readonly topic: string;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly consumerGroup: string,
  ) {
    this.topic = deadLetterTopicFor(consumerGroup);
  }

  async ensureTopic(): Promise<void> {
    await this.kafka.ensureTopics([{ name: this.topic as never, ...DEAD_LETTER_TOPIC_CONFIG }]);
  }

  async publish(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    const producer = await this.kafka.producer();
    const failedAt = new Date().toISOString();
    await producer.send({
      topic: this.kafka.topic(this.topic),
      acks: -1,
      messages: rejections.map((r) => {
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
      }),
    });
  }
}
