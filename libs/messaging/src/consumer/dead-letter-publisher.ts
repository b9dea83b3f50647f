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
} as const;

export const DEAD_LETTER_TOPIC_CONFIG = {
  partitions: 1,
  config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * 24 * 3600 * 1000) },
};

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
        const headers: IHeaders = {
          ...(r.message.headers ?? {}),
          [DLQ.code]: r.code,
          [DLQ.reason]: r.reason,
          [DLQ.topic]: r.topic,
          [DLQ.partition]: String(r.partition),
          [DLQ.offset]: r.offset,
          [DLQ.group]: this.consumerGroup,
          [DLQ.failedAt]: failedAt,
        };
        if (r.errors) headers[DLQ.errors] = JSON.stringify(r.errors);
        return { key: r.message.key, value: r.message.value, headers };
      }),
    });
  }
}
