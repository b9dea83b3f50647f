import 'reflect-metadata';
import { parsePayload } from '../event-definition';
import { OrderShippedV1 } from '../events/partner-order.events';
import { latestPlausibleDay } from './calendar';

const shipped = (occurredAt: string, shippingBillDate?: string) => ({
  eventId: 'OD-1-shipped-2',
  orderId: 'OD-1',
  sequence: 2,
  occurredAt,
  sellerAccountId: 'FK-A-1',
  destinationCountry: 'US',
  currency: 'USD',
  lines: [{ lineId: 'L1', sku: 'BRASS-VASE-12', hsCode: '74198030', quantity: 4, unitPriceMinor: 2_500 }],
  ...(shippingBillDate ? { shippingBillDate, shippingBillNumber: '4412940' } : {}),
});
const refusals = (payload: object) => {
  const result = parsePayload(OrderShippedV1, payload);
  return result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`);
};

describe('when a partner fact can have happened: from 2000 to a day ahead of the clock', () => {
  // 23:30 IST on 6 December 2026: tomorrow in India is the 7th, in UTC it is still the 6th.
  const now = Date.parse('2026-12-06T18:00:00Z');
  beforeEach(() => jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('takes a shipping bill dated from 2000-01-01 to tomorrow in India, and refuses a day before or after, naming the range', () => {
    expect(latestPlausibleDay()).toBe('2026-12-07');
    expect(refusals(shipped('2026-12-06T17:00:00Z', '2000-01-01'))).toEqual([]);
    expect(refusals(shipped('2026-12-06T17:00:00Z', '2026-12-07'))).toEqual([]);
    expect(refusals(shipped('2026-12-06T17:00:00Z', '1999-12-31'))).toEqual(['shippingBillDate:recentDay']);
    expect(refusals(shipped('2026-12-06T17:00:00Z', '2026-12-08'))).toEqual(['shippingBillDate:recentDay']);
    const result = parsePayload(OrderShippedV1, shipped('2026-12-06T17:00:00Z', '2027-03-01'));
    expect(result.ok ? '' : result.errors[0].message).toBe(
      'shippingBillDate must be from 2000-01-01 to 2026-12-07 (tomorrow in India): a day before 2000 or further ahead cannot be a shipment\'s',
    );
    // An impossible day is refused as one (not as out of range).
    expect(refusals(shipped('2026-12-06T17:00:00Z', '2026-02-29'))).toEqual(['shippingBillDate:calendarDay']);
  });

  it('takes occurredAt from 2000 to 24 hours after now, in any offset, and refuses beyond', () => {
    expect(refusals(shipped('2000-01-01T00:00:00Z'))).toEqual([]);
    expect(refusals(shipped('2000-01-01T05:29:59+05:30'))).toEqual(['occurredAt:recentTime']); // 1999-12-31T23:59:59Z
    expect(refusals(shipped('2026-12-07T18:00:00Z'))).toEqual([]);
    expect(refusals(shipped('2026-12-07T23:30:00+05:30'))).toEqual([]); // the same instant as above
    expect(refusals(shipped('2026-12-07T18:00:01Z'))).toEqual(['occurredAt:recentTime']);
  });
});
