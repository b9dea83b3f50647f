import { isCurrencyCode } from './currencies';
import { parseRate } from './decimal';
import { convertMinor, rateOn } from './fx';
import { isIsoDate } from './iso-date';
import { SEED_FX_RATES } from './seed-rates';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'AED', 'SGD', 'AUD', 'CAD', 'SAR', 'CHF', 'KWD'];
const DATES = ['2024-01-01', '2025-01-01', '2025-07-01', '2026-01-01'];

describe('SEED_FX_RATES (demo data)', () => {
  it('has one valid rate per currency and date, per one unit, at most 4 decimals like FBIL', () => {
    expect(SEED_FX_RATES).toHaveLength(CURRENCIES.length * DATES.length);
    for (const currency of CURRENCIES) {
      for (const date of DATES) {
        const matching = SEED_FX_RATES.filter((r) => r.currency === currency && r.effectiveFrom === date);
        expect(matching).toHaveLength(1);
      }
    }
    for (const rate of SEED_FX_RATES) {
      expect(isCurrencyCode(rate.currency)).toBe(true);
      expect(isIsoDate(rate.effectiveFrom)).toBe(true);
      expect(parseRate(rate.inrPerUnit).scale).toBeLessThanOrEqual(4);
    }
  });

  it('is plausible: USD 80-95 rupees, the yen per ONE unit (under a rupee), the pegs held', () => {
    for (const date of DATES) {
      const rate = (currency: string) => rateOn(SEED_FX_RATES, currency, date)?.inrPerUnit ?? '';
      const inr = (currency: string) => Number(rate(currency)); // for rough bounds only
      expect(inr('USD')).toBeGreaterThan(80);
      expect(inr('USD')).toBeLessThan(95);
      expect(inr('JPY')).toBeGreaterThan(0.4);
      expect(inr('JPY')).toBeLessThan(0.7);
      expect(inr('KWD')).toBeGreaterThan(inr('GBP'));
      // AED and SAR are pegged to the dollar (3.6725, 3.75): USD 1,000,000.00 in each, to the fils/halala.
      const fromUsd = (to: string) =>
        convertMinor({ amountMinor: 100000000n, from: 'USD', to, fromInrPerUnit: rate('USD'), toInrPerUnit: rate(to), rounding: 'half-even' });
      expect(Number(fromUsd('AED'))).toBeCloseTo(367250000, -4);
      expect(Number(fromUsd('SAR'))).toBeCloseTo(375000000, -4);
    }
  });
});
