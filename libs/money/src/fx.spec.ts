import { UnknownCurrencyError } from './currencies';
import { InvalidDecimalError } from './decimal';
import { convertMinor, ConvertMinorInput, FxRate, FxRateMissingError, inrPerUnitFromQuote, rateOn, RECORDED_VALUE_ROUNDING, toUsdAndInr } from './fx';
import { SEED_FX_RATES } from './seed-rates';

const USD = '84.2345';
const EUR = '91.1234';
const JPY = '0.5567';
const KWD = '274.5678';

const rates: FxRate[] = [
  { currency: 'USD', effectiveFrom: '2025-07-01', inrPerUnit: '85.7575' },
  { currency: 'EUR', effectiveFrom: '2025-01-01', inrPerUnit: '88.6543' },
  { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: '85.6232' },
  { currency: 'USD', effectiveFrom: '2024-01-01', inrPerUnit: '83.1164' },
  { currency: 'JPY', effectiveFrom: '2025-01-01', inrPerUnit: '0.5447' },
  { currency: 'KWD', effectiveFrom: '2025-01-01', inrPerUnit: '277.8170' },
];

describe('rateOn', () => {
  it.each([
    ['2023-12-31', undefined],
    ['2024-01-01', '83.1164'],
    ['2024-12-31', '83.1164'],
    ['2025-01-01', '85.6232'],
    ['2025-06-30', '85.6232'],
    ['2025-07-01', '85.7575'],
    ['2030-01-01', '85.7575'],
  ])('USD on %s is %s (the latest effectiveFrom on or before the date; input order does not matter)', (date, inrPerUnit) => {
    expect(rateOn(rates, 'USD', date)?.inrPerUnit).toBe(inrPerUnit);
    expect(rateOn([...rates].reverse(), 'USD', date)?.inrPerUnit).toBe(inrPerUnit);
  });

  it('answers undefined before a currency first has a rate, and for currencies with none', () => {
    expect(rateOn(rates, 'EUR', '2024-06-01')).toBeUndefined();
    expect(rateOn(rates, 'GBP', '2025-03-01')).toBeUndefined();
    expect(rateOn([], 'USD', '2025-03-01')).toBeUndefined();
  });

  it('returns the rate itself: currency, effectiveFrom, inrPerUnit and nothing else', () => {
    const stored = [{ currency: 'EUR', effectiveFrom: '2025-01-01', inrPerUnit: '88.6543', createdBy: 'seed', id: 7 }];
    expect(rateOn(stored, 'EUR', '2025-03-15')).toEqual({ currency: 'EUR', effectiveFrom: '2025-01-01', inrPerUnit: '88.6543' });
  });

  it('prices INR at 1 on every date, whatever the list holds', () => {
    expect(rateOn([], 'INR', '1999-01-01')).toEqual({ currency: 'INR', effectiveFrom: '1999-01-01', inrPerUnit: '1' });
    expect(rateOn([{ currency: 'INR', effectiveFrom: '2025-01-01', inrPerUnit: '2' }], 'INR', '2025-06-01')?.inrPerUnit).toBe('1');
  });

  it('accepts the same rate twice for one day, refuses two different ones', () => {
    const same = [...rates, { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: '85.62320' }];
    expect(rateOn(same, 'USD', '2025-02-01')?.effectiveFrom).toBe('2025-01-01');
    const clash = [...rates, { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: '85.7' }];
    expect(() => rateOn(clash, 'USD', '2025-02-01')).toThrow(/two USD rates effective 2025-01-01 disagree/);
  });

  it('refuses an unknown currency, a malformed date and a malformed effectiveFrom', () => {
    expect(() => rateOn(rates, 'usd', '2025-02-01')).toThrow(UnknownCurrencyError);
    expect(() => rateOn(rates, 'USD', '2025-2-1')).toThrow(RangeError);
    expect(() => rateOn(rates, 'USD', '2025-02-30')).toThrow(RangeError);
    expect(() => rateOn([{ currency: 'USD', effectiveFrom: '1/1/2025', inrPerUnit: '85' }], 'USD', '2025-02-01')).toThrow(/effectiveFrom/);
  });
});

describe('inrPerUnitFromQuote', () => {
  it('turns RBI/FBIL quotes per 100 yen into the per-unit rates stored here, exactly', () => {
    expect(inrPerUnitFromQuote('55.67', 100)).toBe('0.5567');
    expect(inrPerUnitFromQuote('54.47', 100)).toBe('0.5447');
    expect(inrPerUnitFromQuote('84.2345', 1)).toBe('84.2345');
    expect(inrPerUnitFromQuote('0.0000000001', 100)).toBe('0.000000000001');
  });

  it('refuses what would not fit 12 decimals, and what is not a rate', () => {
    expect(() => inrPerUnitFromQuote('0.00000000001', 100)).toThrow(InvalidDecimalError);
    expect(() => inrPerUnitFromQuote('-55.67', 100)).toThrow(InvalidDecimalError);
  });
});

describe('convertMinor', () => {
  const convert = (input: Omit<ConvertMinorInput, 'rounding'>, rounding: ConvertMinorInput['rounding'] = 'half-even') =>
    convertMinor({ ...input, rounding });

  it('USD → INR: cents × rate, in paise', () => {
    // USD 1,234.56 × 84.2345 = INR 103,992.544 32 → 10399254 paise
    expect(convert({ amountMinor: 123456n, from: 'USD', to: 'INR', fromInrPerUnit: USD, toInrPerUnit: '1' })).toBe(10399254n);
  });

  it('rounds a tie by the mode asked: USD 10.00 × 84.2345 is exactly 84234.5 paise', () => {
    const tenDollars = { amountMinor: 1000n, from: 'USD', to: 'INR', fromInrPerUnit: USD, toInrPerUnit: '1' };
    expect(convert(tenDollars, 'half-even')).toBe(84234n);
    expect(convert(tenDollars, 'half-up')).toBe(84235n);
    expect(convert({ ...tenDollars, amountMinor: 3000n }, 'half-even')).toBe(252704n); // 252703.5 → even
    expect(convert({ ...tenDollars, amountMinor: -1000n }, 'half-even')).toBe(-84234n);
    expect(convert({ ...tenDollars, amountMinor: -1000n }, 'half-up')).toBe(-84235n);
  });

  it('EUR → USD crosses through the rupee with ONE rounding at the end', () => {
    // EUR 0.55 = 5011.787 paise = 59.498 cents. Rounding to paise first (5012) and then to cents gives 60.
    const single = convert({ amountMinor: 55n, from: 'EUR', to: 'USD', fromInrPerUnit: EUR, toInrPerUnit: USD });
    const paise = convert({ amountMinor: 55n, from: 'EUR', to: 'INR', fromInrPerUnit: EUR, toInrPerUnit: '1' });
    const twoStep = convert({ amountMinor: paise, from: 'INR', to: 'USD', fromInrPerUnit: '1', toInrPerUnit: USD });
    expect([single, paise, twoStep]).toEqual([59n, 5012n, 60n]);
  });

  it('JPY (no decimals) → USD and INR', () => {
    // JPY 1,000 × 0.5567 = INR 556.70 = USD 6.6089…
    expect(convert({ amountMinor: 1000n, from: 'JPY', to: 'INR', fromInrPerUnit: JPY, toInrPerUnit: '1' })).toBe(55670n);
    expect(convert({ amountMinor: 1000n, from: 'JPY', to: 'USD', fromInrPerUnit: JPY, toInrPerUnit: USD })).toBe(661n);
    // and back: INR 100.00 / 0.5567 = JPY 179.63… → 180 yen
    expect(convert({ amountMinor: 10000n, from: 'INR', to: 'JPY', fromInrPerUnit: '1', toInrPerUnit: JPY })).toBe(180n);
  });

  it('KWD (3 decimals) → INR, and INR → KWD in fils', () => {
    // KWD 1.234 × 274.5678 = INR 338.8166652 → 33882 paise
    expect(convert({ amountMinor: 1234n, from: 'KWD', to: 'INR', fromInrPerUnit: KWD, toInrPerUnit: '1' })).toBe(33882n);
    // INR 1,000.00 / 274.5678 = KWD 3.64210… → 3642 fils
    expect(convert({ amountMinor: 100000n, from: 'INR', to: 'KWD', fromInrPerUnit: '1', toInrPerUnit: KWD })).toBe(3642n);
  });

  it('INR → USD', () => {
    // INR 1,000.00 / 84.2345 = USD 11.8716…
    expect(convert({ amountMinor: 100000n, from: 'INR', to: 'USD', fromInrPerUnit: '1', toInrPerUnit: USD })).toBe(1187n);
  });

  it('stays exact for amounts up to 10^15 minor units and results past 2^53, where floats lose digits', () => {
    expect(convert({ amountMinor: 10n ** 15n, from: 'USD', to: 'INR', fromInrPerUnit: USD, toInrPerUnit: '1' })).toBe(84234500000000000n);
    const odd = convert({ amountMinor: 10n ** 15n + 1n, from: 'USD', to: 'INR', fromInrPerUnit: USD, toInrPerUnit: '1' });
    expect(odd).toBe(84234500000000084n); // 84,234,500,000,000,084.2345 paise
    expect(BigInt(Math.round((10 ** 15 + 1) * 84.2345))).not.toBe(odd); // what a float would have recorded
    expect(convert({ amountMinor: 10n ** 15n, from: 'EUR', to: 'USD', fromInrPerUnit: EUR, toInrPerUnit: USD })).toBe(1081782405071556n);
    expect(convert({ amountMinor: -(10n ** 15n), from: 'EUR', to: 'USD', fromInrPerUnit: EUR, toInrPerUnit: USD })).toBe(-1081782405071556n);
    expect(convert({ amountMinor: 10n ** 15n, from: 'JPY', to: 'KWD', fromInrPerUnit: JPY, toInrPerUnit: KWD })).toBe(2027550207999627n);
  });

  it('converts −x to exactly −(x converted), in both modes, for every seed-rate pair', () => {
    const onDay = SEED_FX_RATES.filter((rate) => rate.effectiveFrom === '2025-07-01');
    const pairs = [{ currency: 'INR', inrPerUnit: '1' }, ...onDay];
    const amounts = [1n, 2n, 5n, 50n, 99n, 1000n, 3000n, 12345n, 999999n, 10n ** 15n];
    for (const from of pairs) {
      for (const to of pairs) {
        for (const amountMinor of amounts) {
          for (const rounding of ['half-even', 'half-up'] as const) {
            const input = { from: from.currency, to: to.currency, fromInrPerUnit: from.inrPerUnit, toInrPerUnit: to.inrPerUnit, rounding };
            const plus = convertMinor({ ...input, amountMinor });
            const minus = convertMinor({ ...input, amountMinor: -amountMinor });
            if (minus !== -plus) throw new Error(`${from.currency}→${to.currency} ${amountMinor} ${rounding}: ${plus} vs ${minus}`);
          }
        }
      }
    }
    expect(convert({ amountMinor: 0n, from: 'USD', to: 'JPY', fromInrPerUnit: USD, toInrPerUnit: JPY })).toBe(0n);
  });

  it('leaves an amount alone when both sides are one currency', () => {
    expect(convert({ amountMinor: 123456n, from: 'USD', to: 'USD', fromInrPerUnit: USD, toInrPerUnit: '84.23450' })).toBe(123456n);
    expect(convert({ amountMinor: -7n, from: 'INR', to: 'INR', fromInrPerUnit: '1', toInrPerUnit: '1.0' })).toBe(-7n);
    expect(() => convert({ amountMinor: 1n, from: 'USD', to: 'USD', fromInrPerUnit: USD, toInrPerUnit: '84' })).toThrow(/two different rates/);
  });

  it('refuses an INR rate other than 1, bad rates, unknown currencies and non-bigint amounts', () => {
    expect(() => convert({ amountMinor: 1n, from: 'INR', to: 'USD', fromInrPerUnit: '84', toInrPerUnit: USD })).toThrow(/INR is worth 1 rupee/);
    expect(() => convert({ amountMinor: 1n, from: 'USD', to: 'INR', fromInrPerUnit: '-84.2345', toInrPerUnit: '1' })).toThrow(InvalidDecimalError);
    expect(() => convert({ amountMinor: 1n, from: 'USD', to: 'EUR', fromInrPerUnit: USD, toInrPerUnit: '0' })).toThrow(InvalidDecimalError);
    expect(() => convert({ amountMinor: 1n, from: 'USD', to: 'INR', fromInrPerUnit: '8.42345e1', toInrPerUnit: '1' })).toThrow(InvalidDecimalError);
    expect(() => convert({ amountMinor: 1n, from: 'BGN', to: 'INR', fromInrPerUnit: '50', toInrPerUnit: '1' })).toThrow(UnknownCurrencyError);
    expect(() => convert({ amountMinor: 100 as unknown as bigint, from: 'USD', to: 'INR', fromInrPerUnit: USD, toInrPerUnit: '1' })).toThrow(TypeError);
  });
});

describe('toUsdAndInr', () => {
  const value = (amountMinor: bigint, currency: string, date = '2025-03-15') =>
    toUsdAndInr({ amountMinor, currency, rates, date, rounding: RECORDED_VALUE_ROUNDING });

  it('values a EUR line in paise and cents from the rates in force, naming them', () => {
    // EUR 1,234.56 × 88.6543 = INR 109,449.052 608; / 85.6232 = USD 1,278.263 98
    expect(value(123456n, 'EUR')).toEqual({
      inrMinor: 10944905n,
      usdMinor: 127826n,
      rateUsed: { currency: 'EUR', effectiveFrom: '2025-01-01', inrPerUnit: '88.6543' },
      usdRateUsed: { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: '85.6232' },
    });
  });

  it('derives the USD value from the original amount, not from the rounded rupees', () => {
    const r: FxRate[] = [
      { currency: 'EUR', effectiveFrom: '2025-01-01', inrPerUnit: EUR },
      { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: USD },
    ];
    expect(toUsdAndInr({ amountMinor: 55n, currency: 'EUR', rates: r, date: '2025-01-01', rounding: 'half-even' })).toMatchObject({ inrMinor: 5012n, usdMinor: 59n });
  });

  it('keeps a USD amount as it is, and an INR amount as it is', () => {
    expect(value(123456n, 'USD')).toMatchObject({ usdMinor: 123456n, inrMinor: 10570698n });
    expect(value(123456n, 'INR')).toEqual({
      inrMinor: 123456n,
      usdMinor: 1442n,
      rateUsed: { currency: 'INR', effectiveFrom: '2025-03-15', inrPerUnit: '1' },
      usdRateUsed: { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: '85.6232' },
    });
  });

  it('values JPY and KWD lines with their own exponents', () => {
    expect(value(150000n, 'JPY')).toMatchObject({ inrMinor: 8170500n, usdMinor: 95424n });
    expect(value(1234n, 'KWD')).toMatchObject({ inrMinor: 34283n, usdMinor: 400n });
  });

  it('values a return as the exact negative of the sale', () => {
    const sale = value(123456n, 'EUR');
    const ret = value(-123456n, 'EUR');
    expect([ret.inrMinor, ret.usdMinor]).toEqual([-sale.inrMinor, -sale.usdMinor]);
  });

  it('uses the rate in force on the date: a new USD rate from 2025-07-01', () => {
    expect(value(100n, 'USD', '2025-06-30').inrMinor).toBe(8562n);
    expect(value(100n, 'USD', '2025-07-01').inrMinor).toBe(8576n);
  });

  it('throws FxRateMissingError naming the currency and the date', () => {
    expect(() => value(100n, 'GBP')).toThrow(new FxRateMissingError('GBP', '2025-03-15'));
    expect(() => value(100n, 'EUR', '2024-12-31')).toThrow('no INR reference rate for EUR in force on 2024-12-31');
    expect(() => toUsdAndInr({ amountMinor: 1n, currency: 'EUR', rates: rates.filter((r) => r.currency !== 'USD'), date: '2025-03-15', rounding: 'half-up' })).toThrow(
      expect.objectContaining({ name: 'FxRateMissingError', code: 'MONEY.FX_RATE_MISSING', currency: 'USD', date: '2025-03-15' }),
    );
    expect(() => value(100n, 'USD', '2023-12-31')).toThrow(FxRateMissingError);
  });

  it('recommends half-even for recorded values', () => {
    expect(RECORDED_VALUE_ROUNDING).toBe('half-even');
  });
});
