import { CE, fromKafkaHeaders, toKafkaHeaders } from './cloudevents';

const attributes = {
  id: '5b0b7d3e-7a4c-4c55-9a35-2f7c1c7f8f01',
  type: 'niryat.onboarding.seller.approved.v1',
  source: '/niryat/onboarding',
  time: '2026-11-21T10:00:00.000Z',
  subject: 'sellers/42',
  correlationId: 'corr-1',
};

describe('CloudEvents Kafka binary mode headers', () => {
  it('round-trips attributes through Kafka headers, as strings or Buffers', () => {
    const headers = toKafkaHeaders(attributes);
    expect(headers).toMatchObject({ [CE.specversion]: '1.0', [CE.contentType]: 'application/json', [CE.id]: attributes.id });
    const asBuffers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    for (const input of [headers, asBuffers]) {
      const result = fromKafkaHeaders(input);
      expect(result).toEqual({ ok: true, attributes: { ...attributes, causationId: undefined, traceparent: undefined } });
    }
  });

  it('names every missing required attribute', () => {
    const { ce_id: _id, ce_time: _time, ...rest } = toKafkaHeaders(attributes);
    expect(fromKafkaHeaders(rest)).toEqual({ ok: false, reason: 'missing CloudEvents header(s): ce_id, ce_time' });
    expect(fromKafkaHeaders(undefined)).toMatchObject({ ok: false });
  });

  it('refuses another spec version, a non-JSON content type and an unreadable time', () => {
    const headers = toKafkaHeaders(attributes);
    expect(fromKafkaHeaders({ ...headers, ce_specversion: '0.3' })).toMatchObject({ ok: false, reason: expect.stringContaining("'0.3'") });
    expect(fromKafkaHeaders({ ...headers, 'content-type': 'application/avro' })).toMatchObject({ ok: false, reason: expect.stringContaining('avro') });
    expect(fromKafkaHeaders({ ...headers, ce_time: 'yesterday' })).toMatchObject({ ok: false, reason: expect.stringContaining('yesterday') });
  });
});
