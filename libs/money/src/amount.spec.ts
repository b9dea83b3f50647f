import { formatMinor, sumMinor } from './amount';
import { UnknownCurrencyError } from './currencies';

describe('sumMinor', () => {
  it('adds exactly, past 2^53, with negatives', () => {
    expect(sumMinor([])).toBe(0n);
    expect(sumMinor([10399254n, -84234n, 1n])).toBe(10315021n);
    expect(sumMinor([2n ** 53n, 1n, 1n])).toBe(9007199254740994n);
    expect(sumMinor(new Set([5n, -5n]))).toBe(0n);
  });

  it('refuses numbers rather than mixing them in', () => {
    expect(() => sumMinor([1n, 2 as unknown as bigint])).toThrow(/adds bigints only, got a number/);
  });
});

describe('formatMinor', () => {
  it.each([
    [123456n, 'USD', 'USD 1,234.56'],
    [5n, 'USD', 'USD 0.05'],
    [0n, 'USD', 'USD 0.00'],
    [-123456n, 'USD', 'USD -1,234.56'],
    [-5n, 'EUR', 'EUR -0.05'],
    [100000000n, 'EUR', 'EUR 1,000,000.00'],
    [123456700n, 'INR', 'INR 12,34,567.00'],
    [99999n, 'INR', 'INR 999.99'],
    [100000n, 'INR', 'INR 1,000.00'],
    [1000000n, 'INR', 'INR 10,000.00'],
    [10000000n, 'INR', 'INR 1,00,000.00'],
    [1000000000n, 'INR', 'INR 1,00,00,000.00'],
    [-84234500000000084n, 'INR', 'INR -84,23,45,00,00,00,000.84'],
    [1234567n, 'JPY', 'JPY 1,234,567'],
    [5n, 'JPY', 'JPY 5'],
    [-1000n, 'JPY', 'JPY -1,000'],
    [1234567n, 'KWD', 'KWD 1,234.567'],
    [7n, 'KWD', 'KWD 0.007'],
    [12345n, 'CLF', 'CLF 1.2345'],
    [10n ** 18n, 'USD', 'USD 10,000,000,000,000,000.00'],
  ])('%p %s → %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });

  it('refuses unknown currencies and non-bigint amounts', () => {
    expect(() => formatMinor(1n, 'XAU')).toThrow(UnknownCurrencyError);
    expect(() => formatMinor(12.5 as unknown as bigint, 'USD')).toThrow(TypeError);
  });
});
