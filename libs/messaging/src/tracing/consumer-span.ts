import { Context, context, Link, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { CloudEventAttributes } from '@niryat/contracts';
import { endingSpan, MESSAGING_TRACER, MessageContext, remoteContextOf, runInMessageContext, traceContextOfEvent } from './message-context';

/** Links a span keeps to the records it applied: a chunk of a thousand links nobody reads is noise. */
const MAX_LINKS = 64;

interface TracedEvent {
  topic: string;
  attributes: CloudEventAttributes;
}

/**
 * The correlation and causation of what a handler does with these events: exact for one event (or
 * copies of one); for several, the correlation they all share, if they share one, and no causation
 * (a handler that appends per event passes `causedBy(event)` itself).
 */
export function causeOf(events: readonly Pick<TracedEvent, 'attributes'>[]): MessageContext {
  const ids = new Set(events.map((e) => e.attributes.id));
  const correlations = new Set(events.map((e) => e.attributes.correlationId ?? e.attributes.id));
  return {
    ...(correlations.size === 1 ? { correlationId: [...correlations][0] } : {}),
    ...(ids.size === 1 ? { causationId: [...ids][0] } : {}),
  };
}

/**
 * The parent of a consumer's span: the record's own trace context when it applies one record, or
 * several of one trace; otherwise none (a new trace), with a link to each record's context instead,
 * as OpenTelemetry's messaging conventions do for batches.
 */
function parentAndLinks(events: readonly TracedEvent[]): { parent: Context; links: Link[] } {
  const contexts = events.map((e) => remoteContextOf(traceContextOfEvent(e.attributes))).filter((ctx) => trace.getSpanContext(ctx) !== undefined);
  const spanContexts = contexts.map((ctx) => trace.getSpanContext(ctx)).filter((s) => s !== undefined);
  const traces = new Set(spanContexts.map((s) => s.traceId));
  if (traces.size === 1 && spanContexts.length === events.length) {
    const distinct = [...new Map(spanContexts.map((s) => [s.spanId, s])).values()];
    return { parent: contexts[0], links: distinct.slice(1, MAX_LINKS + 1).map((s) => ({ context: s })) };
  }
  return { parent: ROOT_CONTEXT, links: spanContexts.slice(0, MAX_LINKS).map((s) => ({ context: s })) };
}

/**
 * Runs `work` (a consumer applying these events) inside a CONSUMER span parented or linked to the
 * records' trace contexts, with their correlation and causation as the message context: the events
 * it appends to the outbox carry both on, and its log lines name them.
 */
export async function inConsumerSpan<T>(group: string, events: readonly TracedEvent[], work: () => Promise<T>): Promise<T> {
  const { parent, links } = parentAndLinks(events);
  const topics = [...new Set(events.map((e) => e.topic))];
  const span = trace.getTracer(MESSAGING_TRACER).startSpan(
    `process ${group}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': group,
        'messaging.destination.name': topics.join(','),
        'messaging.batch.message_count': events.length,
        ...(events.length === 1 ? { 'messaging.message.id': events[0].attributes.id, 'cloudevents.event_type': events[0].attributes.type } : {}),
      },
    },
    parent,
  );
  return endingSpan(span, () => context.with(trace.setSpan(parent, span), () => runInMessageContext(causeOf(events), work)));
}

/**
 * The context for an event a handler appends because of `event`, when it applies several at once
 * and knows which one caused it: `outboxEvent(Definition, payload, causedBy(event))`.
 */
export function causedBy(event: { attributes: CloudEventAttributes }): { correlationId: string; causationId: string; traceparent?: string; tracestate?: string } {
  const { id, correlationId, traceparent, tracestate } = event.attributes;
  return { correlationId: correlationId ?? id, causationId: id, ...(traceparent ? { traceparent, ...(tracestate ? { tracestate } : {}) } : {}) };
}
