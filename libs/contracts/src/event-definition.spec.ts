import 'reflect-metadata';
import { SellerApprovedV1 } from './events/onboarding-seller.events';
import { parsePayload } from './event-definition';

const valid = {
  sellerId: '5b0b7d3e-7a4c-4c55-9a35-2f7c1c7f8f01',
  stateCode: '09',
  district: 'Moradabad',
  classification: 'small',
  programmes: ['flipkart-walmart-odop-up'],
  approvedAt: '2026-11-21T10:00:00.000Z',
  approvedBy: 'reviewer-7',
};

describe('parsePayload', () => {
  it('accepts a valid payload and returns an instance of the payload class', () => {
    const result = parsePayload(SellerApprovedV1, valid);
    expect(result.ok).toBe(true);
    expect(result.ok && result.payload).toBeInstanceOf(SellerApprovedV1);
  });

  it('reports every failing field with the rule that failed, nested array items included', () => {
    const result = parsePayload(SellerApprovedV1, { ...valid, sellerId: 'x', stateCode: '40', programmes: ['ok-code', 'Not OK'], extra: 1 });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual(['extra:whitelistValidation', 'programmes:matches', 'sellerId:isUuid', 'stateCode:isIn']);
  });

  it('refuses values that are not JSON objects', () => {
    for (const value of [null, 'text', 42, [valid]]) {
      expect(parsePayload(SellerApprovedV1, value)).toEqual({ ok: false, errors: [expect.objectContaining({ code: 'isObject' })] });
    }
  });

  it('rejects a missing field and a non-ISO timestamp', () => {
    const { approvedBy: _drop, ...rest } = valid;
    const result = parsePayload(SellerApprovedV1, { ...rest, approvedAt: '21/11/2026' });
    expect(result.ok ? [] : [...new Set(result.errors.map((e) => e.field))].sort()).toEqual(['approvedAt', 'approvedBy']);
  });

  it('refuses a NUL or half a surrogate pair anywhere, naming where: Postgres could never store it', () => {
    for (const [payload, expected] of [
      [{ ...valid, district: 'Mora\u0000dabad' }, 'district:noNulCharacter'],
      [{ ...valid, programmes: ['flipkart-walmart-odop-up', 'x\uDC00'] }, 'programmes[1]:wellFormedText'],
      [{ ...valid, ['approvedBy\u0000']: 'x' }, 'approvedBy\u0000:noNulCharacter'],
    ] as const) {
      const result = parsePayload(SellerApprovedV1, payload);
      expect(result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`)).toEqual([expected]);
    }
    // A well-formed pair (an emoji) is text.
    expect(parsePayload(SellerApprovedV1, { ...valid, district: 'Moradabad \uD83C\uDFFA' }).ok).toBe(true);
  });
});
