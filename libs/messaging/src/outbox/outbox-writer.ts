import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventDefinition, parsePayload } from '@niryat/contracts';

export interface EventContext {
  /** The request or event that started this chain; propagated unchanged. */
  correlationId?: string;
  /** The event (or command) that directly caused this one. */
  causationId?: string;
  traceparent?: string;
  /** Defaults to now; the time the fact happened, not the time it is published. */
  occurredAt?: Date;
}

export interface OutboxEvent<P extends object = object> {
  definition: EventDefinition<P>;
  payload: P;
  context?: EventContext;
}

/** Pairs a definition with a payload of its own type, checked at compile time. */
export function outboxEvent<P extends object>(definition: EventDefinition<P>, payload: P, context?: EventContext): OutboxEvent {
  return { definition, payload, context } as OutboxEvent;
}

/**
 * Appends events to the service's outbox inside the caller's transaction, so the state change and
 * the fact that it happened commit or roll back together. The relay publishes them afterwards.
 */
export class OutboxWriter {
  constructor(
    private readonly schema: string,
    /** CloudEvents `source` of everything this service emits, e.g. `/niryat/onboarding`. */
    private readonly source: string,
  ) {}

  async append(manager: EntityManager, events: OutboxEvent[]): Promise<string[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction that changes the state');
    }
    const rows = events.map(({ definition, payload, context }) => {
      // Refuse to publish what our own consumers would dead-letter.
      const checked = parsePayload(definition.payload, JSON.parse(JSON.stringify(payload)));
      if (!checked.ok) {
        throw new Error(`invalid ${definition.type} payload: ${checked.errors.map((e) => `${e.field || '(payload)'}: ${e.message}`).join('; ')}`);
      }
      const id = randomUUID();
      const attributes = {
        id,
        type: definition.type,
        source: this.source,
        time: (context?.occurredAt ?? new Date()).toISOString(),
        subject: definition.subjectOf?.(payload),
        correlationId: context?.correlationId ?? id,
        causationId: context?.causationId,
        traceparent: context?.traceparent,
      };
      return { id, topic: definition.topic, key: definition.keyOf(payload), type: definition.type, attributes, payload };
    });
    if (rows.length === 0) return [];
    await manager.query(
      `INSERT INTO "${this.schema}".outbox (event_id, topic, record_key, event_type, attributes, payload)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.topic),
        rows.map((r) => r.key),
        rows.map((r) => r.type),
        rows.map((r) => JSON.stringify(r.attributes)),
        rows.map((r) => JSON.stringify(r.payload)),
      ],
    );
    return rows.map((r) => r.id);
  }
}
