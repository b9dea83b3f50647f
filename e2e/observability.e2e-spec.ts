import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SellerApproved, SellerRegistered, toKafkaHeaders, Topics } from '@niryat/contracts';
import { eventually, metricValue, parsePrometheusText, PrometheusSample, readWholeTopic, samplesOf, sellerRegistration, testInfra } from '@niryat/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { http, PlatformStack } from './platform-stack';

const SERVICES = ['onboarding', 'exports', 'training', 'reporting'] as const;

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: { traceId: string; spanId: string }[];
  service: string;
}
const SERVER = 2;
const CONSUMER = 5;

/** An OTLP/HTTP endpoint of the test's own: keeps every span the services export. */
class SpanCollector {
  readonly spans: OtlpSpan[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Omit<OtlpSpan, 'service'>[] }[] }[];
      };
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const { spans } of scopeSpans) this.spans.push(...spans.map((span) => ({ ...span, service })));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A caller's own trace: the `traceparent` it sends and the ids in it. */
function callerTrace() {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];
const spanIdOf = (traceparent: string | undefined) => traceparent?.split('-')[2];

/**
 * What an operator sees of the running platform: each service's /metrics moving with traffic, and
 * one trace from an HTTP request through the outbox and Kafka to every consumer and the events they
 * cause, with correlation and causation ids in record headers and log lines.
 */
describe('metrics, traces and correlation across the four services (real processes, Kafka, Postgres)', () => {
  const collector = new SpanCollector();
  const stack = new PlatformStack();
  const db = new Client({ connectionString: testInfra().databaseUrl });
  const kafka = new Kafka({ clientId: 'e2e-observability', brokers: testInfra().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  const before: Record<string, PrometheusSample[]> = {};

  const scrape = async (service: string) => {
    const response = await fetch(`${stack.urls[service]}/metrics`);
    expect([service, response.status, response.headers.get('content-type')]).toEqual([service, 200, expect.stringMatching(/^text\/plain/)]);
    return parsePrometheusText(await response.text());
  };

  /** One request with the caller's trace and correlation headers. */
  async function call(method: string, url: string, token: string, headers: Record<string, string>, body?: unknown) {
    const response = await fetch(url, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { id?: string } };
  }

  /** The records of a topic of the stack. */
  const records = (topic: string) => readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(topic));

  /** Waits until reporting has applied everything on the onboarding seller topic, so the next event is a transaction of its own. */
  async function reportingCaughtUp(): Promise<void> {
    await eventually(async () => {
      const topic = stack.topic(Topics.onboardingSeller);
      const ends = await admin.fetchTopicOffsets(topic);
      const { rows } = await db.query<{ partition: number; next_offset: string }>(
        `SELECT "partition", next_offset::text AS next_offset FROM "${stack.schemaOf('reporting')}".consumer_offsets WHERE consumer_group = 'reporting.views' AND topic = $1`,
        [topic],
      );
      const stored = new Map(rows.map((r) => [r.partition, r.next_offset]));
      expect(ends.filter((e) => e.high !== '0').map((e) => [e.partition, stored.get(e.partition)])).toEqual(ends.filter((e) => e.high !== '0').map((e) => [e.partition, e.high]));
    });
  }

  beforeAll(async () => {
    const endpoint = await collector.start();
    for (const service of SERVICES) {
      stack.withEnv(service, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' });
    }
    // The consumer's line per transaction is at debug.
    stack.withEnv('reporting', { LOG_LEVEL: 'debug' });
    await Promise.all([stack.start(), db.connect(), admin.connect()]);
    for (const service of SERVICES) before[service] = await scrape(service);
  });
  afterAll(async () => {
    await stack.stop();
    await Promise.all([db.end(), admin.disconnect(), collector.stop()]);
  });

  it('carries a traceparent from an HTTP request through the outbox and Kafka to every consumer and to the event a consumer causes', async () => {
    const registrant = stack.token('registrant');
    const reviewer = stack.token('reviewer');
    const registration = callerTrace();
    const registered = await call('POST', `${stack.urls.onboarding}/v1/sellers`, registrant, { traceparent: registration.traceparent, 'x-correlation-id': `reg-${hex(4)}` }, sellerRegistration({ stateCode: '09', programmes: ['flipkart-walmart-odop-up'] }));
    expect(registered.status).toBe(201);
    const sellerId = registered.body.id as string;
    await call('POST', `${stack.urls.onboarding}/v1/sellers/${sellerId}/start-review`, reviewer, {});
    await reportingCaughtUp();

    const approval = callerTrace();
    const correlation = `approve-${hex(4)}`;
    expect((await call('POST', `${stack.urls.onboarding}/v1/sellers/${sellerId}/approve`, reviewer, { traceparent: approval.traceparent, 'x-correlation-id': correlation })).status).toBe(200);

    // The outbox row, written inside the request: the request's server span (a child of the caller's), its correlation id as correlation and cause.
    const { rows } = await db.query<{ event_id: string; attributes: { traceparent?: string; correlationId?: string; causationId?: string } }>(
      `SELECT event_id, attributes FROM "${stack.schemaOf('onboarding')}".outbox WHERE event_type = $1 AND record_key = $2`,
      [SellerApproved.type, sellerId],
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.attributes).toMatchObject({ traceparent: expect.stringMatching(new RegExp(`^00-${approval.traceId}-[0-9a-f]{16}-01$`)), correlationId: correlation, causationId: correlation });
    const requestSpanId = spanIdOf(row.attributes.traceparent) as string;
    expect(requestSpanId).not.toBe(approval.spanId);

    // The record the relay published carries them as headers.
    await eventually(async () => {
      const found = (await records(Topics.onboardingSeller)).find((r) => r.key === sellerId && r.headers.ce_type === SellerApproved.type);
      expect(found?.headers).toMatchObject({ ce_id: row.event_id, traceparent: row.attributes.traceparent, ce_correlationid: correlation, ce_causationid: correlation });
    });

    // Reporting republishes the funnel row it changed: same trace, caused by the approval, same correlation.
    const funnel = await eventually(async () => {
      const found = (await records(Topics.reportingSellerFunnel)).filter((r) => r.headers.ce_causationid === row.event_id);
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    for (const record of funnel) {
      expect([traceIdOf(record.headers.traceparent), record.headers.ce_correlationid]).toEqual([approval.traceId, correlation]);
    }

    // The spans: the request's, a child of the caller's; reporting's transaction, a child of the request's; the funnel records sent from inside it.
    const spans = await eventually(
      () => {
        const inTrace = collector.spans.filter((s) => s.traceId === approval.traceId);
        expect(inTrace.find((s) => s.kind === SERVER && s.service === 'niryat-onboarding')).toMatchObject({ spanId: requestSpanId, parentSpanId: approval.spanId, name: 'POST /v1/sellers/:id/approve' });
        expect(inTrace.find((s) => s.kind === CONSUMER && s.service === 'niryat-reporting')).toMatchObject({ name: 'process reporting.views', parentSpanId: requestSpanId });
        return collector.spans;
      },
      { timeoutMs: 30_000 },
    );
    const reportingSpan = spans.find((s) => s.traceId === approval.traceId && s.kind === CONSUMER && s.service === 'niryat-reporting') as OtlpSpan;
    expect(funnel.map((r) => spanIdOf(r.headers.traceparent))).toContain(reportingSpan.spanId);
    // Every service that consumes the seller topic applied the approval in a span of this trace, or linked to it.
    const consumedIn = new Set(
      spans.filter((s) => s.kind === CONSUMER && (s.traceId === approval.traceId || s.links?.some((l) => l.traceId === approval.traceId))).map((s) => s.service),
    );
    expect([...consumedIn].sort()).toEqual(['niryat-exports', 'niryat-reporting', 'niryat-training']);
    // The registration is a trace of its own.
    expect(collector.spans.filter((s) => s.traceId === registration.traceId && s.kind === SERVER)).toEqual([expect.objectContaining({ name: 'POST /v1/sellers', parentSpanId: registration.spanId })]);

    // Reporting's log line of that transaction names the trace, the correlation and the cause.
    const lines = stack.logs.filter((l) => l.startsWith('reporting: {')).map((l) => JSON.parse(l.slice('reporting: '.length)) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ traceId: approval.traceId, spanId: reportingSpan.spanId, correlationId: correlation, causationId: row.event_id, msg: expect.stringMatching(/^applied 1 of 1 event/) }));
  });

  it('moves every service\'s figures with traffic: requests, events applied, outbox published, lag per partition, dead letters by code', async () => {
    // A record no consumer can read: every group of the seller topic dead-letters it as MESSAGING.NOT_JSON.
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: stack.topic(Topics.onboardingSeller),
      messages: [{ key: randomUUID(), value: 'not json', headers: toKafkaHeaders({ id: randomUUID(), type: SellerRegistered.type, source: '/niryat/onboarding', time: new Date().toISOString() }) }],
    });
    await producer.disconnect();
    expect((await http('GET', `${stack.urls.reporting}/v1/reports/sellers`, undefined, stack.token('analyst'))).status).toBe(200);
    expect((await http('GET', `${stack.urls.exports}/v1/fx-rates`, undefined, stack.token('analyst'))).status).toBe(200);
    expect((await http('GET', `${stack.urls.training}/v1/certificates/NIRYAT-VRD-2026-999999`)).status).toBe(404);

    const groups = { exports: 'exports.onboarding-events', training: 'training.onboarding-events', reporting: 'reporting.views' } as const;
    const sellerTopic = stack.topic(Topics.onboardingSeller);
    const after = await eventually(async () => {
      const scraped = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await scrape(service)] as const)));
      for (const [service, group] of Object.entries(groups)) {
        expect([service, metricValue(scraped[service], 'niryat_dead_letters_total', { group, code: 'MESSAGING.NOT_JSON' })]).toEqual([service, 1]);
        // Lag per assigned partition, all of the seller topic's, nothing left to apply (the dead letter's offset stored too).
        const lag = samplesOf(scraped[service], 'niryat_consumer_lag', { group, topic: sellerTopic });
        expect([service, lag.map((s) => s.labels.partition).sort(), lag.filter((s) => s.value !== 0)]).toEqual([service, ['0', '1', '2', '3', '4', '5'], []]);
      }
      return scraped;
    });
    const grew = (service: string, name: string, labels: Record<string, string> = {}) => (metricValue(after[service], name, labels) ?? 0) - (metricValue(before[service], name, labels) ?? 0);

    // Requests, by route template and status class.
    expect(grew('onboarding', 'niryat_http_requests_total', { method: 'POST', route: '/v1/sellers/:id/approve', status_class: '2xx' })).toBe(1);
    expect(grew('onboarding', 'niryat_http_requests_total', { method: 'POST', route: '/v1/sellers', status_class: '2xx' })).toBe(1);
    expect(grew('onboarding', 'niryat_http_request_duration_seconds_count', { route: '/v1/sellers' })).toBe(1);
    expect(grew('reporting', 'niryat_http_requests_total', { route: '/v1/reports/sellers', status_class: '2xx' })).toBe(1);
    expect(grew('exports', 'niryat_http_requests_total', { route: '/v1/fx-rates', status_class: '2xx' })).toBe(1);
    expect(grew('training', 'niryat_http_requests_total', { route: '/v1/certificates/:number', status_class: '4xx' })).toBe(1);
    // Onboarding's outbox: registered, review-started and approved published, how long each waited, nothing left behind.
    expect(grew('onboarding', 'niryat_outbox_published_total', { topic: sellerTopic })).toBe(3);
    expect(grew('onboarding', 'niryat_outbox_relay_latency_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(metricValue(after.onboarding, 'niryat_outbox_backlog')).toBe(0);
    expect(metricValue(after.onboarding, 'niryat_set_aside_records', { kind: 'outbox' })).toBe(0);
    // Reporting's republications went out through its own outbox.
    expect(grew('reporting', 'niryat_outbox_published_total', { topic: stack.topic(Topics.reportingSellerFunnel) })).toBeGreaterThanOrEqual(2);
    for (const [service, group] of Object.entries(groups)) {
      // Each consumer applied the registration and the approval (review-started is no concern of theirs), in transactions it timed.
      expect([service, grew(service, 'niryat_consumer_events_applied_total', { group, topic: sellerTopic })]).toEqual([service, 2]);
      expect([service, grew(service, 'niryat_consumer_batch_size_count', { group }) > 0, grew(service, 'niryat_consumer_apply_duration_seconds_count', { group }) > 0]).toEqual([service, true, true]);
      expect([service, metricValue(after[service], 'niryat_consumer_member', { group })]).toEqual([service, 1]);
    }
    expect(metricValue(after.exports, 'niryat_exports_oldest_parked_age_seconds')).toBe(0);
    for (const service of SERVICES) {
      expect([service, metricValue(after[service], 'process_cpu_seconds_total', { service })]).toEqual([service, expect.any(Number)]);
      expect([service, metricValue(after[service], 'niryat_metrics_source_up', { source: 'outbox' })]).toEqual([service, 1]);
    }
  });
});
