import { shipmentDateOf } from './order-processor';
import { HistoryEvent } from './order-history';

const shippedAt = (occurredAt: string, shippingBillDate?: string) => ({ kind: 'shipped', occurredAt, shippingBillDate }) as unknown as HistoryEvent;

describe('shipment day: the day in India the goods left', () => {
  it('takes the day in India of the shipment event around midnight IST on 31 December', () => {
    expect(shipmentDateOf(shippedAt('2026-12-30T18:31:00.000Z'))).toBe('2026-12-31'); // 00:01 IST, 31 December
    expect(shipmentDateOf(shippedAt('2026-12-31T18:29:00.000Z'))).toBe('2026-12-31'); // 23:59 IST
    expect(shipmentDateOf(shippedAt('2026-12-31T18:31:00.000Z'))).toBe('2027-01-01'); // 00:01 IST, 1 January; UTC still 31 December
  });

  it('prefers the shipping bill date when the partner gives one', () => {
    expect(shipmentDateOf(shippedAt('2026-12-31T18:31:00.000Z', '2026-12-31'))).toBe('2026-12-31');
  });
});
