import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventDefinition, parsePayload } from '@niryat/contracts';
import { currentMessageContext, traceContextOf } from '../tracing/message-context';

/**
 * Where an event comes from. Each field defaults to the work in progress: the correlation and
 * causation of the HTTP request or consumed event being handled (see MessageContext), the trace
 * context of the active span.
 */
export interface EventContext {
  /** The request or event that started this chain; propagated unchanged. */
  correlationId?: string;
  /** The event (or command) that directly caused this one. */
  causationId?: string;
  /** W3C trace context; `tracestate` goes with the `traceparent` it was given with. */
  traceparent?: string;
  tracestate?: string;
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

/** An outbox row as written: the relay reads these columns back. */
interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  type: string;
  attributes: object;
  payload: object;
  /** Why the row is set aside as it is written (`invalidPayloads: 'set-aside'`), or null. */
  refused: string | null;
}

export interface OutboxWriterOptions {
  /**
   * What a payload our own consumers would dead-letter does. `refuse` (the default) throws, so the
   * state change rolls back with it: right for facts, which must not change state unannounced.
   * `set-aside` writes the row set aside with its reason (an error line, /health's `setAside`, later
   * rows of its key held back) and lets the transaction commit: right for a view's republication,
   * derived from state that is already right, which a publishing problem must not roll back.
   */
  invalidPayloads?: 'refuse' | 'set-aside';
}

/**
 * Appends events to the service's outbox inside the caller's transaction, so the state change and
 * the fact that it happened commit or roll back together. The relay publishes them afterwards.
 */
export class OutboxWriter {
  /** Rows appended inside `batch`, per transaction, written in one statement when it ends. */
  private readonly batches = new WeakMap<EntityManager, OutboxRow[]>();

  private readonly logger = new Logger(OutboxWriter.name);

  constructor(
    private readonly schema: string,
    /** CloudEvents `source` of everything this service emits, e.g. `/niryat/onboarding`. */
    private readonly source: string,
    private readonly options: OutboxWriterOptions = {},
  ) {}

  /**
   * Runs `work` in the caller's transaction with every `append` on `manager` held back and written
   * in one statement once `work` has succeeded: a consumer whose views each publish what they
   * changed pays one round trip for all of them. Nothing is written if `work` fails.
   */
  async batch<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    if (this.batches.has(manager)) return work();
    const rows: OutboxRow[] = [];
    this.batches.set(manager, rows);
    try {
      const result = await work();
      await this.insert(manager, rows);
      return result;
    } finally {
      this.batches.delete(manager);
    }
  }

  async append(manager: EntityManager, events: OutboxEvent[]): Promise<string[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction that changes the state');
    }
    // Captured now, inside the request or the consuming transaction: the relay publishes them later, outside it.
    const cause = currentMessageContext();
    const trace = traceContextOf();
    const rows = events.map(({ definition, payload, context }): OutboxRow => {
      // Refuse to publish what our own consumers would dead-letter.
      const checked = parsePayload(definition.payload, JSON.parse(JSON.stringify(payload)));
      const refused = checked.ok ? null : `invalid ${definition.type} payload: ${checked.errors.map((e) => `${e.field || '(payload)'}: ${e.message}`).join('; ')}`;
      if (refused !== null && this.options.invalidPayloads !== 'set-aside') throw new Error(refused);
      const id = randomUUID();
      const attributes = {
        id,
        type: definition.type,
        source: this.source,
        time: (context?.occurredAt ?? new Date()).toISOString(),
        subject: definition.subjectOf?.(payload),
        correlationId: context?.correlationId ?? cause?.correlationId ?? id,
        causationId: context?.causationId ?? cause?.causationId,
        ...(context?.traceparent ? { traceparent: context.traceparent, tracestate: context.tracestate } : trace),
      };
      const key = definition.keyOf(payload);
      if (refused !== null) {
        this.logger.error(`outbox event ${id} (${definition.type}, ${definition.topic} key ${key}) set aside as it was written: ${refused}; later rows of that key wait, the rest flows`);
      }
      return { id, topic: definition.topic, key, type: definition.type, attributes, payload, refused };
    });
    const batch = this.batches.get(manager);
    if (batch) batch.push(...rows);
    else await this.insert(manager, rows);
    return rows.map((r) => r.id);
  }

  /**
   * The rows as one JSON document: cheaper on both sides than an array parameter per column, whose
   * every element pg escapes and Postgres parses again.
   */
  private async insert(manager: EntityManager, rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO "${this.schema}".outbox (event_id, topic, record_key, event_type, attributes, payload, set_aside_at, last_error)
       SELECT r.id, r.topic, r.key, r.type, r.attributes, r.payload, CASE WHEN r.refused IS NULL THEN NULL ELSE now() END, r.refused
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, topic text, key text, type text, attributes jsonb, payload jsonb, refused text)`,
      [JSON.stringify(rows)],
    );
  }
}
