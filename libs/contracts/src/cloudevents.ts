/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: attributes travel as `ce_*` headers,
 * the JSON payload is the record value. https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md
 */
export const CE = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  specversion: 'ce_specversion',
  subject: 'ce_subject',
  contentType: 'content-type',
  /** Extension attributes used for tracing a chain of events back to the request that caused it. */
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  /** W3C trace context, carried as a plain header as the CloudEvents distributed-tracing extension does. */
  traceparent: 'traceparent',
} as const;

/**
 * The W3C `tracestate` that goes with `traceparent` (vendor data of the trace, rarely set): carried
 * when present, outside CE because the AsyncAPI document lists the CE headers exactly.
 */
export const TRACESTATE_HEADER = 'tracestate';

export const SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
  tracestate?: string;
}

export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

export function toKafkaHeaders(attrs: CloudEventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    [CE.id]: attrs.id,
    [CE.type]: attrs.type,
    [CE.source]: attrs.source,
    [CE.time]: attrs.time,
    [CE.specversion]: SPEC_VERSION,
    [CE.contentType]: JSON_CONTENT_TYPE,
  };
  if (attrs.subject) headers[CE.subject] = attrs.subject;
  if (attrs.correlationId) headers[CE.correlationId] = attrs.correlationId;
  if (attrs.causationId) headers[CE.causationId] = attrs.causationId;
  if (attrs.traceparent) headers[CE.traceparent] = attrs.traceparent;
  if (attrs.traceparent && attrs.tracestate) headers[TRACESTATE_HEADER] = attrs.tracestate;
  return headers;
}

export function headerString(headers: KafkaHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : first;
}

export type AttributesResult =
  | { ok: true; attributes: CloudEventAttributes }
  | { ok: false; reason: string };

/** Reads and checks the required CloudEvents attributes of a Kafka record. */
export function fromKafkaHeaders(headers: KafkaHeaders | undefined): AttributesResult {
  const get = (name: string) => headerString(headers, name);
  const missing = [CE.id, CE.type, CE.source, CE.time, CE.specversion].filter((h) => !get(h));
  if (missing.length > 0) return { ok: false, reason: `missing CloudEvents header(s): ${missing.join(', ')}` };
  if (get(CE.specversion) !== SPEC_VERSION) {
    return { ok: false, reason: `unsupported ce_specversion '${get(CE.specversion)}', expected '${SPEC_VERSION}'` };
  }
  const contentType = get(CE.contentType);
  if (contentType && !contentType.startsWith(JSON_CONTENT_TYPE)) {
    return { ok: false, reason: `unsupported content-type '${contentType}', expected '${JSON_CONTENT_TYPE}'` };
  }
  const time = get(CE.time) as string;
  if (Number.isNaN(Date.parse(time))) return { ok: false, reason: `ce_time '${time}' is not an RFC 3339 timestamp` };
  return {
    ok: true,
    attributes: {
      id: get(CE.id) as string,
      type: get(CE.type) as string,
      source: get(CE.source) as string,
      time,
      subject: get(CE.subject),
      correlationId: get(CE.correlationId),
      causationId: get(CE.causationId),
      traceparent: get(CE.traceparent),
      tracestate: get(TRACESTATE_HEADER),
    },
  };
}
