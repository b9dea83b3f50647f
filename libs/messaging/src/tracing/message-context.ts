import { AsyncLocalStorage } from 'node:async_hooks';
import { Context, context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { CE, CloudEventAttributes, TRACESTATE_HEADER } from '@niryat/contracts';

/**
 * What caused the work in progress, for the events it writes and the lines it logs: the id of the
 * request or event that started the chain (correlation) and of the one that directly caused this
 * work (causation). An HTTP request, or a consumer applying events, sets it for its duration.
 */
export interface MessageContext {
  correlationId?: string;
  causationId?: string;
  /** Set by an HTTP request, whose logger already binds the correlation id on every line. */
  boundByRequestLogger?: boolean;
}

const storage = new AsyncLocalStorage<MessageContext>();

/** The tracer the messaging machinery's spans (relay sends, consumer transactions) come from. */
export const MESSAGING_TRACER = '@niryat/messaging';

/** Runs `work` with `cause` as the message context of everything it does, awaited work included. */
export function runInMessageContext<T>(cause: MessageContext, work: () => T): T {
  return storage.run(cause, work);
}

/** The message context of the work in progress, if an HTTP request or a consumer set one. */
export function currentMessageContext(): MessageContext | undefined {
  return storage.getStore();
}

/**
 * W3C trace context itself, not whatever global propagator the process registered: records carry
 * `traceparent` by contract (docs/asyncapi.yaml). The active span is known only where a tracer
 * provider with its context manager is registered: every service at boot (libs/platform tracing).
 */
const w3c = new W3CTraceContextPropagator();

export interface TraceContextHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** The W3C `traceparent` (and `tracestate`) of the span active in `ctx`, or nothing outside a span. */
export function traceContextOf(ctx: Context = context.active()): TraceContextHeaders {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent ? { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) } : {};
}

/** The context of a remote parent (a record's or a request's `traceparent`); the root context if it has none or a malformed one. */
export function remoteContextOf(headers: TraceContextHeaders): Context {
  if (!headers.traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** The trace context a record carries, for `remoteContextOf`. */
export function traceContextOfEvent(attributes: Pick<CloudEventAttributes, 'traceparent' | 'tracestate'>): TraceContextHeaders {
  return { traceparent: attributes.traceparent, tracestate: attributes.tracestate };
}

/**
 * The headers a Kafka record sent now should carry to continue the current trace and correlation:
 * `traceparent` and `tracestate` of the active span, `ce_correlationid` and `ce_causationid` of the
 * request or event being handled. Empty outside of one. For producers that write records
 * themselves instead of through the outbox (the exports service's partner HTTP ingest).
 */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const { traceparent, tracestate } = traceContextOf();
  if (traceparent) headers[CE.traceparent] = traceparent;
  if (traceparent && tracestate) headers[TRACESTATE_HEADER] = tracestate;
  const cause = currentMessageContext();
  if (cause?.correlationId) headers[CE.correlationId] = cause.correlationId;
  if (cause?.causationId) headers[CE.causationId] = cause.causationId;
  return headers;
}

/** The trace and span ids of the active span, for log lines. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}

/** Runs `work` and ends `span` after it, recording a failure on the span before passing it on. */
export async function endingSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
