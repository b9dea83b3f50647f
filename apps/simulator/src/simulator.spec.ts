import 'reflect-metadata';
import { PARTNER_ORDER_EVENTS, parsePayload } from '@niryat/contracts';
import { isGstin, isPan, isUdyamNumber } from '@niryat/india';
import { parseArgs } from './main';
import { planOrders } from './orders';
import { convertMinor, divideHalfEven, GroundTruth, rateOn } from './truth';
import { indianDay, planWorld } from './world';

const NOW = Date.parse('2026-12-06T10:00:00Z');
const world = (tag = 'spec', seed = 3) => planWorld({ seed, tag, sellers: 60, lateLinks: 0.2, windowDays: 120, now: NOW });

describe('the simulator: its own arithmetic', () => {
  it('rounds half to even, for either sign', () => {
    expect([divideHalfEven(5n, 2n), divideHalfEven(7n, 2n), divideHalfEven(15n, 10n), divideHalfEven(25n, 10n), divideHalfEven(26n, 10n)]).toEqual([2n, 4n, 2n, 2n, 3n]);
    expect([divideHalfEven(-5n, 2n), divideHalfEven(-7n, 2n), divideHalfEven(-26n, 10n), divideHalfEven(5n, -2n)]).toEqual([-2n, -4n, -3n, -2n]);
  });

  it('converts through rupee rates between currencies of different minor units', () => {
    // JPY 1,000 at INR 0.5700 a yen, to US cents at INR 83.0000 a dollar: 686.746… → 687.
    expect(convertMinor(1_000n, 'JPY', 'USD', '0.5700', '83.0000')).toBe(687n);
    // USD 12.34 to paise at INR 83.25: 102,730.5 paise → to even, 102,730.
    expect(convertMinor(1_234n, 'USD', 'INR', '83.25', '1')).toBe(102_730n);
    expect(convertMinor(100n, 'EUR', 'EUR', '105.5', '105.5')).toBe(100n);
  });

  it('takes the rate in force on a day: the latest that took effect on or before it', () => {
    const rates = [
      { currency: 'USD', effectiveFrom: '2026-01-01', inrPerUnit: '83' },
      { currency: 'USD', effectiveFrom: '2026-03-01', inrPerUnit: '84' },
    ];
    expect([rateOn(rates, 'USD', '2025-12-31'), rateOn(rates, 'USD', '2026-02-28'), rateOn(rates, 'USD', '2026-03-01'), rateOn(rates, 'INR', '2000-01-01')]).toEqual([undefined, '83', '84', '1']);
  });
});

describe('the simulator: its world and orders', () => {
  it('makes sellers with valid identifiers, Uttar Pradesh heavy, the same for the same seed under any tag', () => {
    const a = world('one');
    const b = world('two');
    for (const s of a.sellers) {
      expect([isGstin(s.gstin), isPan(s.pan), isUdyamNumber(s.udyamNumber), s.gstin.slice(2, 12) === s.pan]).toEqual([true, true, true, true]);
    }
    expect(a.sellers.filter((s) => s.stateCode === '09').length / a.sellers.length).toBeGreaterThan(0.35);
    expect(b.sellers.map((s) => [s.stateCode, s.district, s.programmes.map((p) => p.replace('-two-', '-one-'))])).toEqual(a.sellers.map((s) => [s.stateCode, s.district, s.programmes]));
    expect(new Set([...a.sellers, ...b.sellers].map((s) => s.pan)).size).toBe(a.sellers.length * 2); // no PAN shared between worlds
    expect(a.sellers.some((s) => s.accounts.length > 1)).toBe(true); // some on two marketplaces
    expect(a.sellers.some((s) => s.enrolments.some((e) => e.since > a.window.from))).toBe(true); // some enrolled part-way
  });

  it('plans orders whose every event the contracts accept, in the window, with month-end midnight shipments', () => {
    const w = world();
    const orders = planOrders(w, 800, 3);
    const definitions = new Map(PARTNER_ORDER_EVENTS.map((d) => [d.type, d]));
    const refused = orders.flatMap((o) =>
      o.events.flatMap((e) => {
        const result = parsePayload(definitions.get(`niryat.partner.order.${e.kind}.v1`)?.payload as never, JSON.parse(JSON.stringify(e.payload)));
        return result.ok ? [] : [`${e.payload.eventId}: ${result.errors.map((x) => `${x.field} ${x.message}`).join('; ')}`];
      }),
    );
    expect(refused).toEqual([]);
    const shipments = orders.flatMap((o) => o.events.filter((e) => e.kind === 'shipped'));
    expect(shipments.every((e) => indianDay(Date.parse(e.payload.occurredAt)) >= w.window.from && indianDay(Date.parse(e.payload.occurredAt)) <= w.window.to)).toBe(true);
    const nearMidnight = shipments.filter((e) => {
      const ist = new Date(Date.parse(e.payload.occurredAt) + 330 * 60_000);
      return (ist.getUTCHours() === 23 && ist.getUTCMinutes() === 59) || (ist.getUTCHours() === 0 && ist.getUTCMinutes() === 0);
    });
    expect(nearMidnight.length).toBeGreaterThan(10);
    expect(new Set(orders.flatMap((o) => o.events.map((e) => e.kind)))).toEqual(new Set(['placed', 'shipped', 'customs-cleared', 'delivered', 'cancelled', 'returned', 'returned-to-origin']));
  });

  it('counts an export only in programmes the seller was enrolled in on its shipment day and whose marketplaces sold it', () => {
    const w = world();
    const truth = new GroundTruth(w, [{ currency: 'USD', effectiveFrom: '2020-01-01', inrPerUnit: '83' }, ...['GBP', 'EUR', 'AED', 'CAD', 'AUD', 'SGD', 'JPY'].map((c) => ({ currency: c, effectiveFrom: '2020-01-01', inrPerUnit: '50' }))]);
    for (const order of planOrders(w, 400, 3)) {
      const shipment = order.events.find((e) => e.kind === 'shipped');
      if (!shipment) continue;
      const day = shipment.payload.shippingBillDate ?? indianDay(Date.parse(shipment.payload.occurredAt));
      for (const programme of truth.programmesOf(order, day)) {
        const p = w.programmes.find((x) => x.id === programme);
        expect(p?.marketplaces).toContain(order.partner);
        expect((w.sellers[order.sellerIndex].enrolments.find((e) => e.programmeId === programme)?.since ?? '9999-12-31') <= day).toBe(true);
      }
    }
  });
});

describe('npm run simulate: arguments', () => {
  it('reads the knobs and refuses a bad one, naming it', () => {
    expect(parseArgs(['run', '--seed', '9', '--orders', '50', '--rate', 'max', '--duplicates', '0.1', '--transport', 'kafka']).options).toMatchObject({ seed: 9, orders: 50, rate: 'max', duplicates: 0.1, transport: 'kafka' });
    expect(parseArgs(['verify', '--tag', 's9', '--wait', '30'])).toMatchObject({ command: 'verify', tag: 's9', waitSeconds: 30 });
    expect(() => parseArgs(['--garbage', '2'])).toThrow('--garbage must be a number from 0 to 1, not 2');
    expect(() => parseArgs(['--transport', 'carrier-pigeon'])).toThrow('--transport must be kafka, http or mixed');
    expect(() => parseArgs(['--window-days', '5'])).toThrow('--window-days must be an integer from 20 to 3000');
  });
});
