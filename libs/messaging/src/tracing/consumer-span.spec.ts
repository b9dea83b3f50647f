import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CloudEventAttributes } from '@niryat/contracts';
import { causedBy, causeOf, inConsumerSpan } from './consumer-span';
import { currentMessageContext, traceHeaders } from './message-context';

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();

const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_B = '0af7651916cd43dd8448eb211c80319c';

function event(id: string, extra: Partial<CloudEventAttributes> = {}) {
  return { topic: 'niryat.onboarding.seller.v1', attributes: { id, type: 'niryat.onboarding.seller.approved.v1', source: '/niryat/onboarding', time: '2026-11-21T10:00:00.000Z', ...extra } };
}

describe('what a consumer passes on of the events it applies', () => {
  beforeEach(() => exporter.reset());

  it('knows the cause of one event exactly, and of several only the correlation they share', () => {
    expect(causeOf([event('e1', { correlationId: 'req-1' })])).toEqual({ correlationId: 'req-1', causationId: 'e1' });
    expect(causeOf([event('e1')])).toEqual({ correlationId: 'e1', causationId: 'e1' });
    expect(causeOf([event('e1', { correlationId: 'req-1' }), event('e1', { correlationId: 'req-1' })])).toEqual({ correlationId: 'req-1', causationId: 'e1' });
    expect(causeOf([event('e1', { correlationId: 'req-1' }), event('e2', { correlationId: 'req-1' })])).toEqual({ correlationId: 'req-1' });
    expect(causeOf([event('e1', { correlationId: 'req-1' }), event('e2', { correlationId: 'req-2' })])).toEqual({});
    expect(causedBy(event('e2', { correlationId: 'req-1', traceparent: `00-${TRACE_A}-00f067aa0ba902b7-01` }))).toEqual({
      correlationId: 'req-1',
      causationId: 'e2',
      traceparent: `00-${TRACE_A}-00f067aa0ba902b7-01`,
    });
  });

  it('applies one event in a CONSUMER span that is a child of its traceparent, and what it sends carries the trace and the cause on', async () => {
    const applied = event('e1', { correlationId: 'req-1', traceparent: `00-${TRACE_A}-00f067aa0ba902b7-01`, tracestate: 'vendor=1' });
    const headers = await inConsumerSpan('reporting.views', [applied], async () => {
      await new Promise((resolve) => setImmediate(resolve)); // the context survives awaiting
      return traceHeaders();
    });
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: 'process reporting.views', kind: SpanKind.CONSUMER, parentSpanContext: { traceId: TRACE_A, spanId: '00f067aa0ba902b7' } });
    expect(span.attributes).toMatchObject({ 'messaging.consumer.group.name': 'reporting.views', 'messaging.message.id': 'e1', 'messaging.batch.message_count': 1 });
    expect(headers).toEqual({ traceparent: `00-${TRACE_A}-${span.spanContext().spanId}-01`, tracestate: 'vendor=1', ce_correlationid: 'req-1', ce_causationid: 'e1' });
    expect(currentMessageContext()).toBeUndefined();
  });

  it('applies events of several traces in a new trace linked to each, and records a failure', async () => {
    const events = [
      event('e1', { traceparent: `00-${TRACE_A}-00f067aa0ba902b7-01` }),
      event('e2', { traceparent: `00-${TRACE_B}-b7ad6b7169203331-01` }),
      event('e3'), // sent without a trace: nothing to link
    ];
    await expect(inConsumerSpan('training.onboarding-events', events, () => Promise.reject(new Error('deadlock detected')))).rejects.toThrow('deadlock');
    const [span] = exporter.getFinishedSpans();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toMatch(new RegExp(`${TRACE_A}|${TRACE_B}`));
    expect(span.links.map((l) => l.context.traceId)).toEqual([TRACE_A, TRACE_B]);
    expect(span.status).toMatchObject({ code: 2, message: 'deadlock detected' });
  });

  it('has no trace headers outside of a request or a consumer', () => {
    expect(traceHeaders()).toEqual({});
  });
});
