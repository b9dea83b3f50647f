import { Injectable, NestMiddleware } from '@nestjs/common';
import { Context, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MessageContext, remoteContextOf, runInMessageContext } from '@niryat/messaging';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { PlatformMetrics } from './platform-metrics';

/** Probes and scrapes: neither counted nor traced, they would drown the requests that matter. */
export function isOperationalPath(path: string): boolean {
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

const REQUEST_CONTEXT = Symbol('niryat.requestContext');

interface RequestContext {
  trace: Context;
  cause: MessageContext;
}

type ObservedRequest = IncomingMessage & { id?: unknown; [REQUEST_CONTEXT]?: RequestContext; route?: { path?: unknown } };

/** A caller's `X-Correlation-Id`, if it is a plausible id (it reaches log lines and Kafka headers). */
function callerCorrelationId(request: IncomingMessage): string | undefined {
  const header = request.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:@/+=-]{1,128}$/.test(value) ? value : undefined;
}

/** The request's id: the caller's `X-Correlation-Id` or a new UUID; the logger's request id too. */
export function requestIdOf(request: IncomingMessage): string {
  const observed = request as ObservedRequest;
  if (typeof observed.id !== 'string') observed.id = callerCorrelationId(request) ?? randomUUID();
  return observed.id as string;
}

/**
 * The route template that answered (`/v1/sellers/:id`), so label values stay few: `/docs` for the
 * OpenAPI pages (served beside Nest's router), `unmatched` when no route did. Nest mounts module
 * middleware as a catch-all route (`/{*path}`), which is where a request no route took ends; no
 * Niryat route has a wildcard.
 */
function routeOf(request: ObservedRequest & { path?: string }): string {
  const path = request.route?.path;
  if (typeof path === 'string' && !path.includes('*')) return path;
  return request.path === '/docs' || request.path?.startsWith('/docs/') ? '/docs' : 'unmatched';
}

/** The trace and span ids of the request's server span, for its log lines. */
export function requestTraceIds(request: IncomingMessage): { traceId: string; spanId: string } | undefined {
  const observed = (request as ObservedRequest)[REQUEST_CONTEXT];
  const span = observed && trace.getSpanContext(observed.trace);
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}

/**
 * First of every request: counts and times it (`niryat_http_requests_total`,
 * `niryat_http_request_duration_seconds`, by route template and status class) and opens its SERVER
 * span, a child of the caller's `traceparent`. The request's id is its correlation and causation id:
 * what it appends to the outbox carries them, with the span's trace context.
 */
export function httpObservability(metrics: PlatformMetrics) {
  const tracer = trace.getTracer('@niryat/platform');
  return (request: Request, response: Response, next: NextFunction): void => {
    if (isOperationalPath(request.path)) return next();
    const started = performance.now();
    const headers = request.headers;
    const parent = remoteContextOf({ traceparent: headers.traceparent as string | undefined, tracestate: headers.tracestate as string | undefined });
    const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.path } }, parent);
    const id = requestIdOf(request);
    const observed: RequestContext = { trace: trace.setSpan(parent, span), cause: { correlationId: id, causationId: id, boundByRequestLogger: true } };
    (request as ObservedRequest)[REQUEST_CONTEXT] = observed;
    let ended = false;
    const end = (aborted: boolean) => {
      if (ended) return;
      ended = true;
      const route = routeOf(request as unknown as ObservedRequest & { path: string });
      const status = response.statusCode;
      const labels = { method: request.method, route, status_class: aborted ? 'aborted' : `${Math.floor(status / 100)}xx` };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (aborted) span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away before the answer' });
      else if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', () => end(false));
    response.once('close', () => end(!response.writableFinished));
    context.with(observed.trace, () => runInMessageContext(observed.cause, next));
  };
}

/**
 * Enters the request's trace and message context again just before the route: the body parser
 * calls on from the socket's events, outside the context the first middleware entered. A module
 * middleware, so it runs after every `app.use` (the parser among them).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: IncomingMessage, _response: unknown, next: () => void): void {
    const observed = (request as ObservedRequest)[REQUEST_CONTEXT];
    if (!observed) return next();
    context.with(observed.trace, () => runInMessageContext(observed.cause, next));
  }
}
