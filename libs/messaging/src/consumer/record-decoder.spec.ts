import 'reflect-metadata';
import { SellerApproved, SellerRegistered, toKafkaHeaders } from '@niryat/contracts';
import { KafkaMessage } from 'kafkajs';
import { DeadLetterCode } from './inbound-event';
import { RecordDecoder } from './record-decoder';

const payload = {
  sellerId: '5b0b7d3e-7a4c-4c55-9a35-2f7c1c7f8f01',
  stateCode: '09',
  district: 'Moradabad',
  classification: 'small',
  programmes: ['walmart-vriddhi'],
  approvedAt: '2026-11-21T10:00:00.000Z',
  approvedBy: 'reviewer-7',
};

function message(value: string | null, type = SellerApproved.type, extraHeaders: Record<string, string> = {}): KafkaMessage {
  const headers = { ...toKafkaHeaders({ id: 'evt-1', type, source: '/niryat/onboarding', time: '2026-11-21T10:00:00.000Z' }), ...extraHeaders };
  return { key: Buffer.from(payload.sellerId), value: value === null ? null : Buffer.from(value), offset: '7', timestamp: '0', attributes: 0, headers } as KafkaMessage;
}

describe('RecordDecoder', () => {
  const decoder = new RecordDecoder([SellerApproved]);

  it('decodes a valid record into an event with its position, key and attributes', () => {
    const decoded = decoder.decode('topic-a', 2, message(JSON.stringify(payload)));
    expect(decoded).toEqual({
      event: expect.objectContaining({ topic: 'topic-a', partition: 2, offset: '7', key: payload.sellerId, definition: SellerApproved }),
    });
    expect('event' in decoded && decoded.event.attributes.id).toBe('evt-1');
  });

  it('skips a known event type this consumer does not handle instead of dead-lettering it', () => {
    expect(decoder.decode('t', 0, message('{}', SellerRegistered.type))).toEqual({ ignored: expect.objectContaining({ offset: '7' }) });
  });

  it.each([
    ['an unknown event type', message(JSON.stringify(payload), 'niryat.nobody.knows.v1'), DeadLetterCode.unknownType],
    ['missing CloudEvents headers', { ...message(JSON.stringify(payload)), headers: {} }, DeadLetterCode.missingHeaders],
    ['an empty value', message(null), DeadLetterCode.emptyValue],
    ['a value that is not JSON', message('{"sellerId": '), DeadLetterCode.notJson],
    ['JSON of the wrong shape', message(JSON.stringify({ ...payload, stateCode: 'UP' })), DeadLetterCode.invalidPayload],
  ])('rejects %s with code and reason', (_label, record, code) => {
    const decoded = decoder.decode('t', 0, record as KafkaMessage);
    expect(decoded).toEqual({ rejection: expect.objectContaining({ code, reason: expect.any(String), offset: '7' }) });
  });

  it('puts field errors on an invalid payload rejection', () => {
    const decoded = decoder.decode('t', 0, message(JSON.stringify({ ...payload, programmes: 'all' })));
    expect('rejection' in decoded && [...new Set(decoded.rejection.errors?.map((e) => e.field))]).toEqual(['programmes']);
  });

  describe('on a topic one writer owns', () => {
    const owned = new RecordDecoder([SellerApproved], new Map([['ns.owned', '/niryat/onboarding']]));

    it('applies a record whose ce_source is the owner', () => {
      expect(owned.decode('ns.owned', 0, message(JSON.stringify(payload)))).toHaveProperty('event');
    });

    it('refuses a record whose ce_source names another writer, before anything else is read', () => {
      const forged = { ...message('not even json'), headers: toKafkaHeaders({ id: 'evt-1', type: SellerApproved.type, source: 'flipkart', time: '2026-11-21T10:00:00.000Z' }) };
      expect(owned.decode('ns.owned', 0, forged as KafkaMessage)).toEqual({
        rejection: expect.objectContaining({ code: DeadLetterCode.sourceMismatch, reason: expect.stringContaining("ce_source 'flipkart' on ns.owned") }),
      });
    });

    it('refuses a known type it does not handle instead of skipping it', () => {
      expect(owned.decode('ns.owned', 0, message('{}', SellerRegistered.type))).toEqual({ rejection: expect.objectContaining({ code: DeadLetterCode.unexpectedType }) });
    });

    it('leaves other topics as before', () => {
      expect(owned.decode('ns.other', 0, message('{}', SellerRegistered.type))).toHaveProperty('ignored');
    });
  });
});
