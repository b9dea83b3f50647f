import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { EventDefinition, Marketplace, MARKETPLACES, PARTNER_ORDER_EVENTS, parsePayload, partnerOrderKey, PartnerOrderEventV1, partnerOrdersTopic, toKafkaHeaders } from '@niryat/contracts';
import { KafkaClient, traceHeaders } from '@niryat/messaging';
import { DomainError, SERVICE_ENV } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';
import { PARTNER_ORDERS_GROUP } from '../orders/consumer-groups';
import { EventOutcome, PartnerEventBatchDto } from './partner-events.dto';

const isMarketplace = (partner: string): partner is Marketplace => (MARKETPLACES as readonly string[]).includes(partner);

/** Only partner order events come in this way, whatever else the contracts know. */
const DEFINITIONS = new Map(PARTNER_ORDER_EVENTS.map((d) => [d.type, d]));

/**
 * The HTTP way in: validates each event of a signed batch like the consumer will, answers per event,
 * and publishes the accepted ones to the partner's own orders topic exactly as the partner's own
 * producer would (CloudEvents binary mode, key `<partner>:<orderId>`, ce_source = the authenticated
 * partner).
 */
@Injectable()
export class PartnerIngestService {
  constructor(
    private readonly kafka: KafkaClient,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: ExportsEnv,
  ) {}

  async ingest(partner: string, batch: PartnerEventBatchDto): Promise<{ accepted: number; duplicate: number; rejected: number; results: EventOutcome[] }> {
    if (!isMarketplace(partner)) {
      // A key of a partner no longer in MARKETPLACES: it has no topic to speak on.
      throw new DomainError('PARTNER_INGEST.UNKNOWN_PARTNER', `partner '${partner}' is not a partner marketplace (${MARKETPLACES.join(', ')})`, HttpStatus.FORBIDDEN);
    }
    if (batch.events.length > this.env.PARTNER_BATCH_MAX_EVENTS) {
      throw new DomainError('PARTNER_INGEST.BATCH_TOO_LARGE', `a batch holds at most ${this.env.PARTNER_BATCH_MAX_EVENTS} events`, HttpStatus.PAYLOAD_TOO_LARGE);
    }
    const results: EventOutcome[] = [];
    const valid: { index: number; definition: EventDefinition<PartnerOrderEventV1>; payload: PartnerOrderEventV1 }[] = [];
    const seenInBatch = new Set<string>();
    batch.events.forEach((item, index) => {
      const definition = DEFINITIONS.get(item.type);
      const eventId = typeof item.data.eventId === 'string' ? item.data.eventId : undefined;
      if (!definition) {
        results.push({ index, eventId, status: 'rejected', code: 'PARTNER_INGEST.UNKNOWN_TYPE', reason: `unknown event type '${item.type}'` });
        return;
      }
      const parsed = parsePayload(definition.payload, item.data);
      if (!parsed.ok) {
        results.push({ index, eventId, status: 'rejected', code: 'PARTNER_INGEST.INVALID_EVENT', reason: `${parsed.errors.length} field(s) failed validation`, errors: parsed.errors });
        return;
      }
      const payload = parsed.payload as PartnerOrderEventV1;
      if (seenInBatch.has(payload.eventId)) {
        results.push({ index, eventId: payload.eventId, status: 'duplicate' });
        return;
      }
      seenInBatch.add(payload.eventId);
      valid.push({ index, definition: definition as EventDefinition<PartnerOrderEventV1>, payload });
    });

    const processed = await this.alreadyProcessed(partner, valid.map((v) => v.payload.eventId));
    const toSend = valid.filter((v) => !processed.has(v.payload.eventId));
    for (const v of valid) if (processed.has(v.payload.eventId)) results.push({ index: v.index, eventId: v.payload.eventId, status: 'duplicate' });

    if (toSend.length > 0) {
      const producer = await this.kafka.producer().catch((error: unknown) => this.unavailable(error));
      await producer
        .send({
          topic: this.kafka.topic(partnerOrdersTopic(partner)),
          acks: -1,
          messages: toSend.map(({ definition, payload }) => ({
            key: partnerOrderKey(partner, payload.orderId),
            value: JSON.stringify(payload),
            // The request's trace and correlation go with each record to the consumer that applies it.
            headers: { ...traceHeaders(), ...toKafkaHeaders({ id: payload.eventId, type: definition.type, source: partner, time: payload.occurredAt, subject: definition.subjectOf?.(payload) }) },
          })),
        })
        .catch((error: unknown) => this.unavailable(error));
      for (const v of toSend) results.push({ index: v.index, eventId: v.payload.eventId, status: 'accepted' });
    }
    results.sort((a, b) => a.index - b.index);
    const count = (status: EventOutcome['status']) => results.filter((r) => r.status === status).length;
    return { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), results };
  }

  /** Events of this partner the order pipeline has already applied (or parked). */
  private async alreadyProcessed(partner: string, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: { event_id: string }[] = await this.dataSource.query(
      `SELECT event_id FROM inbox WHERE consumer_group = $1 AND event_source = $2 AND event_id = ANY($3::text[])`,
      [PARTNER_ORDERS_GROUP, partner, eventIds],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  private unavailable(error: unknown): never {
    throw new DomainError(
      'PARTNER_INGEST.UNAVAILABLE',
      `events could not be published (${(error as Error).message}); nothing was accepted, retry the whole batch: event ids make retries safe`,
      HttpStatus.SERVICE_UNAVAILABLE,
      { retryAfterSeconds: 5 },
    );
  }
}
