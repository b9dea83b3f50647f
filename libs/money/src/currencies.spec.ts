import { CURRENCIES, CURRENCY_CODES, currencyInfo, isCurrencyCode, minorUnitsOf, UnknownCurrencyError } from './currencies';

describe('ISO 4217 currencies', () => {
  it.each([
    ['USD', 2],
    ['INR', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['AED', 2],
    ['IDR', 2],
    ['HUF', 2],
    ['MGA', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['ISK', 0],
    ['VND', 0],
    ['UGX', 0],
    ['XOF', 0],
    ['XAF', 0],
    ['XPF', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['JOD', 3],
    ['IQD', 3],
    ['LYD', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has %d decimals', (code, exponent) => {
    expect(isCurrencyCode(code)).toBe(true);
    expect(minorUnitsOf(code)).toBe(exponent);
  });

  it('holds the active list with a minor unit: 165 codes, sorted, every exponent 0, 2, 3 or 4', () => {
    expect(CURRENCY_CODES).toHaveLength(165);
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
    for (const code of CURRENCY_CODES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(CURRENCIES[code].minorUnits);
      expect(CURRENCIES[code].numeric).toMatch(/^[0-9]{3}$/);
      expect(CURRENCIES[code].code).toBe(code);
    }
    const exponents = (e: number) => CURRENCY_CODES.filter((code) => CURRENCIES[code].minorUnits === e);
    expect(exponents(0)).toEqual(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
    expect(exponents(3)).toEqual(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
    expect(exponents(4)).toEqual(['CLF', 'UYW']);
  });

  it('has no two codes with one numeric code', () => {
    const numerics = CURRENCY_CODES.map((code) => CURRENCIES[code].numeric);
    expect(new Set(numerics).size).toBe(numerics.length);
  });

  it('knows the newest codes: XCG (Caribbean guilder), ZWG (Zimbabwe Gold), SLE, VED', () => {
    for (const code of ['XCG', 'ZWG', 'SLE', 'VED']) expect(minorUnitsOf(code)).toBe(2);
    expect(currencyInfo('XCG')).toEqual({ code: 'XCG', numeric: '532', minorUnits: 2, name: 'Caribbean Guilder' });
    expect(currencyInfo('INR').name).toBe('Indian Rupee');
  });

  it.each([
    ['withdrawn: Bulgaria adopted the euro', 'BGN'],
    ['withdrawn: replaced by XCG', 'ANG'],
    ['withdrawn: redenominated to SLE', 'SLL'],
    ['withdrawn: replaced by ZWG', 'ZWL'],
    ['withdrawn', 'HRK'],
    ['no minor unit: gold', 'XAU'],
    ['no minor unit: SDR', 'XDR'],
    ['no minor unit: testing', 'XTS'],
    ['no minor unit: no currency', 'XXX'],
    ['lower case', 'usd'],
    ['padded', ' USD'],
    ['not a code', 'RUPEE'],
    ['an Object.prototype key', 'constructor'],
    ['empty', ''],
    ['a number', 840],
    ['null', null],
    ['undefined', undefined],
  ])('refuses %s (%p)', (_why, value) => {
    expect(isCurrencyCode(value)).toBe(false);
  });

  it('throws a typed error for an unknown code', () => {
    expect(() => minorUnitsOf('BGN')).toThrow(UnknownCurrencyError);
    expect(() => minorUnitsOf('toString')).toThrow(/not an active ISO 4217 currency code/);
    try {
      minorUnitsOf('ABC');
    } catch (error) {
      expect(error).toMatchObject({ code: 'MONEY.UNKNOWN_CURRENCY', currency: 'ABC' });
    }
    expect.assertions(3);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(CURRENCIES)).toBe(true);
    expect(Object.isFrozen(CURRENCIES.USD)).toBe(true);
    expect(Object.isFrozen(CURRENCY_CODES)).toBe(true);
  });
});
