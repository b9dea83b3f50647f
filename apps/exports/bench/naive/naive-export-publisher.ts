import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { toKafkaHeaders } from '@niryat/contracts';
import { OutboxEvent } from '@niryat/messaging';
import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';

/** The Nest client the naive variant publishes with (ClientsModule.register, Transport.KAFKA). */
export const NAIVE_EXPORTS_CLIENT = 'NAIVE_EXPORTS_CLIENT';
/** The topic namespace the naive variant publishes under ('' for none). */
export const NAIVE_TOPIC_NAMESPACE = 'NAIVE_TOPIC_NAMESPACE';
/** CloudEvents `source` of what the exports service publishes (its OutboxWriter's, `/niryat/<service>`). */
export const EXPORTS_SOURCE = '/niryat/exports';

/**
 * Publishes the naive variant's ExportRecorded / ExportAdjusted the naive NestJS way: a ClientKafka
 * `emit()` per event, awaited, once the transaction that recorded it has committed. The record is
 * the one the service's outbox relay would send: JSON payload, keyed by the definition's key (the
 * seller id), and the CloudEvents headers its OutboxWriter sets (a new ce_id, which is also the
 * correlation id; ce_time the moment the fact happened; ce_subject `exports/<exportId>`).
 *
 * No outbox: an event is lost if the process dies between the commit and the emit, and a failed
 * emit fails the handler after the export is committed (Nest logs it and moves on). The service
 * pays for an outbox row per event and a relay instead; here that cost is simply not paid.
 */
@Injectable()
export class NaiveExportPublisher implements OnModuleInit {
  published = 0;

  constructor(
    @Inject(NAIVE_EXPORTS_CLIENT) private readonly client: ClientKafka,
    @Inject(NAIVE_TOPIC_NAMESPACE) private readonly namespace: string,
  ) {}

  /** Connected before the consumer starts, so the first export does not pay for it. */
  async onModuleInit(): Promise<void> {
    await this.client.connect();
  }

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    for (const { definition, payload, context } of events) {
      const id = randomUUID();
      const headers = toKafkaHeaders({
        id,
        type: definition.type,
        source: EXPORTS_SOURCE,
        time: (context?.occurredAt ?? new Date()).toISOString(),
        subject: definition.subjectOf?.(payload),
        correlationId: context?.correlationId ?? id,
      });
      const topic = this.namespace ? `${this.namespace}.${definition.topic}` : definition.topic;
      await lastValueFrom(this.client.emit(topic, { key: definition.keyOf(payload), value: JSON.stringify(payload), headers }));
      this.published += 1;
    }
  }
}
