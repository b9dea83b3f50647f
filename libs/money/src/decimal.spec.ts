import {
  checkDecimal,
  DecimalRule,
  decimalsEqual,
  formatDecimal,
  InvalidDecimalError,
  MAX_DECIMAL_SCALE,
  parseDecimal,
  parseRate,
  roundDivide,
  RoundingMode,
} from './decimal';

describe('parseDecimal', () => {
  it.each([
    ['83.1234', 831234n, 4],
    ['0.5567', 5567n, 4],
    ['1', 1n, 0],
    ['0', 0n, 0],
    ['1.50', 150n, 2],
    ['007.50', 750n, 2],
    ['-12', -12n, 0],
    ['-0.005', -5n, 3],
    ['0.000000000001', 1n, 12],
    ['123456789012345678901234567890.123456789012', 123456789012345678901234567890123456789012n, 12],
  ])('reads %s exactly', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
    expect(checkDecimal(text)).toBeUndefined();
  });

  it('keeps the scale as written and prints back what it read', () => {
    for (const text of ['83.1234', '1.50', '-0.005', '0', '42', '0.000000000001']) expect(formatDecimal(parseDecimal(text))).toBe(text);
    expect(formatDecimal(parseDecimal('-0'))).toBe('0');
    expect(formatDecimal({ units: -123n, scale: 0 })).toBe('-123');
  });

  it.each([
    ['8.4e1'],
    ['8.4E1'],
    ['1e-3'],
    ['1e+3'],
    ['-2E10'],
    ['.5e2'],
  ])('refuses the exponent in %s with decimalExponent', (text) => {
    expect(checkDecimal(text)?.code).toBe(DecimalRule.exponent);
  });

  it.each([
    ['a leading plus', '+1'],
    ['no digit before the point', '.5'],
    ['no digit after the point', '5.'],
    ['grouping', '1,234.56'],
    ['a decimal comma', '83,1234'],
    ['spaces', ' 83.12'],
    ['inner space', '83. 12'],
    ['two points', '1.2.3'],
    ['two signs', '--1'],
    ['a currency', '₹83.12'],
    ['hex', '0x10'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['empty', ''],
    ['non-ASCII digits', '८३'],
  ])('refuses %s (%p) with decimalFormat', (_why, text) => {
    expect(checkDecimal(text)?.code).toBe(DecimalRule.format);
  });

  it.each([[83.1234], [1n], [null], [undefined], [{}]])('refuses a non-string (%p): a number has already been through floating point', (value) => {
    expect(checkDecimal(value)).toEqual({ code: DecimalRule.format, message: expect.stringContaining('never as a number') });
  });

  it('refuses more than 12 fractional digits, or fewer when asked', () => {
    expect(MAX_DECIMAL_SCALE).toBe(12);
    expect(checkDecimal('0.0000000000001')?.code).toBe(DecimalRule.scale);
    expect(checkDecimal('1.234', { maxScale: 2 })).toEqual({ code: DecimalRule.scale, message: expect.stringContaining('at most 2 digits') });
    expect(checkDecimal('1.23', { maxScale: 2 })).toBeUndefined();
    expect(checkDecimal('1.0', { maxScale: 0 })?.code).toBe(DecimalRule.scale);
    expect(() => parseDecimal('1', { maxScale: 13 })).toThrow(RangeError);
    expect(() => parseDecimal('1', { maxScale: -1 })).toThrow(RangeError);
    expect(() => parseDecimal('1', { maxScale: 1.5 })).toThrow(RangeError);
  });

  it('refuses negatives and zero only when asked', () => {
    expect(checkDecimal('-1.5')).toBeUndefined();
    expect(checkDecimal('-1.5', { allowNegative: false })?.code).toBe(DecimalRule.negative);
    expect(checkDecimal('0', { allowNegative: false })).toBeUndefined();
    expect(checkDecimal('-0.00', { allowNegative: false })).toBeUndefined();
    expect(checkDecimal('0.00', { allowZero: false })?.code).toBe(DecimalRule.zero);
    expect(checkDecimal('-0', { allowZero: false })?.code).toBe(DecimalRule.zero);
  });

  it('throws InvalidDecimalError with the code', () => {
    expect(() => parseDecimal('1e3')).toThrow(InvalidDecimalError);
    try {
      parseDecimal('1,5');
    } catch (error) {
      expect(error).toMatchObject({ name: 'InvalidDecimalError', code: DecimalRule.format });
    }
    expect.assertions(2);
  });
});

describe('parseRate', () => {
  it('takes a positive decimal of up to 12 places', () => {
    expect(parseRate('84.2345')).toEqual({ units: 842345n, scale: 4 });
    expect(parseRate('0.000000000001')).toEqual({ units: 1n, scale: 12 });
  });

  it.each([
    ['-84.2345', DecimalRule.negative],
    ['0', DecimalRule.zero],
    ['0.0000', DecimalRule.zero],
    ['8.42345e1', DecimalRule.exponent],
    ['84.2345000000001', DecimalRule.scale],
    ['84,2345', DecimalRule.format],
  ])('refuses %s with %s', (text, code) => {
    expect(() => parseRate(text)).toThrow(expect.objectContaining({ code }));
  });
});

describe('decimalsEqual', () => {
  it('compares values, not spellings', () => {
    expect(decimalsEqual(parseDecimal('84.20'), parseDecimal('84.2'))).toBe(true);
    expect(decimalsEqual(parseDecimal('1'), parseDecimal('1.000000000000'))).toBe(true);
    expect(decimalsEqual(parseDecimal('84.21'), parseDecimal('84.2'))).toBe(false);
    expect(decimalsEqual(parseDecimal('-1'), parseDecimal('1'))).toBe(false);
  });
});

describe('roundDivide', () => {
  // [numerator, denominator, half-even, half-up]
  it.each([
    // ties, positive
    [1n, 2n, 0n, 1n],
    [3n, 2n, 2n, 2n],
    [5n, 2n, 2n, 3n],
    [7n, 2n, 4n, 4n],
    [25n, 10n, 2n, 3n],
    [35n, 10n, 4n, 4n],
    [845n, 10n, 84n, 85n],
    [842345n, 10n, 84234n, 84235n],
    // ties, negative numerator: mirror images
    [-1n, 2n, 0n, -1n],
    [-3n, 2n, -2n, -2n],
    [-5n, 2n, -2n, -3n],
    [-7n, 2n, -4n, -4n],
    [-25n, 10n, -2n, -3n],
    // ties, negative denominator, and both negative
    [5n, -2n, -2n, -3n],
    [-5n, -2n, 2n, 3n],
    [7n, -2n, -4n, -4n],
    [-7n, -2n, 4n, 4n],
    // not ties: nearest, whatever the mode
    [7n, 3n, 2n, 2n],
    [8n, 3n, 3n, 3n],
    [-7n, 3n, -2n, -2n],
    [-8n, 3n, -3n, -3n],
    [8n, -3n, -3n, -3n],
    [49n, 100n, 0n, 0n],
    [51n, 100n, 1n, 1n],
    [-49n, 100n, 0n, 0n],
    [-51n, 100n, -1n, -1n],
    [499999n, 1000000n, 0n, 0n],
    [500001n, 1000000n, 1n, 1n],
    // exact
    [0n, 5n, 0n, 0n],
    [0n, -5n, 0n, 0n],
    [10n, 5n, 2n, 2n],
    [-10n, 5n, -2n, -2n],
    [10n, 1n, 10n, 10n],
    [-10n, -1n, 10n, 10n],
    // far past 2^53
    [10n ** 30n + 5n, 10n, 10n ** 29n, 10n ** 29n + 1n],
    [-(10n ** 30n + 5n), 10n, -(10n ** 29n), -(10n ** 29n + 1n)],
    [10n ** 30n + 15n, 10n, 10n ** 29n + 2n, 10n ** 29n + 2n],
  ])('%p / %p → %p half-even, %p half-up', (n, d, halfEven, halfUp) => {
    expect(roundDivide(n, d, 'half-even')).toBe(halfEven);
    expect(roundDivide(n, d, 'half-up')).toBe(halfUp);
  });

  /** Rounds n/d through floor division, a different route from roundDivide's truncation of magnitudes. */
  function reference(n: bigint, d: bigint, mode: RoundingMode): bigint {
    if (d < 0n) [n, d] = [-n, -d];
    let floor = n / d;
    if (n % d !== 0n && n < 0n) floor -= 1n;
    const twice = (n - floor * d) * 2n; // 0 ≤ twice < 2d
    if (twice < d) return floor;
    if (twice > d) return floor + 1n;
    if (mode === 'half-even') return floor % 2n === 0n ? floor : floor + 1n;
    return n < 0n ? floor : floor + 1n; // away from zero
  }

  it('agrees with a floor-based reference for every n in -300..300 and d in -24..24, both modes', () => {
    let ties = 0;
    for (let d = -24n; d <= 24n; d++) {
      if (d === 0n) continue;
      for (let n = -300n; n <= 300n; n++) {
        if ((n * 2n) % d === 0n && n % d !== 0n) ties++;
        for (const mode of ['half-even', 'half-up'] as const) {
          const got = roundDivide(n, d, mode);
          if (got !== reference(n, d, mode)) throw new Error(`${n}/${d} ${mode}: ${got} vs ${reference(n, d, mode)}`);
        }
      }
    }
    expect(ties).toBeGreaterThan(1000);
  });

  it('is symmetric: roundDivide(-n, d) = -roundDivide(n, d), both modes', () => {
    for (let d = 1n; d <= 40n; d++) {
      for (let n = 0n; n <= 400n; n++) {
        for (const mode of ['half-even', 'half-up'] as const) {
          if (roundDivide(-n, d, mode) !== -roundDivide(n, d, mode)) throw new Error(`${n}/${d} ${mode}`);
          if (roundDivide(n, -d, mode) !== -roundDivide(n, d, mode)) throw new Error(`${n}/-${d} ${mode}`);
        }
      }
    }
    expect(roundDivide(-5n, 2n, 'half-up')).toBe(-roundDivide(5n, 2n, 'half-up'));
  });

  it('half-even sends as many ties down as up; half-up sends them all away from zero', () => {
    const ties = Array.from({ length: 100 }, (_, i) => BigInt(2 * i + 1)); // (2i+1)/2 = i + 0.5
    const sum = (mode: RoundingMode) => ties.reduce((total, n) => total + roundDivide(n, 2n, mode), 0n);
    const exact2x = ties.reduce((total, n) => total + n, 0n); // twice the exact sum, 10000 / 2 = 5000
    expect(sum('half-even') * 2n).toBe(exact2x);
    expect(sum('half-up') * 2n - exact2x).toBe(100n);
  });

  it('differs from Math.round, which sends -2.5 to -2', () => {
    expect(Math.round(-2.5)).toBe(-2);
    expect(roundDivide(-5n, 2n, 'half-up')).toBe(-3n);
  });

  it('refuses division by zero, an unknown mode and numbers', () => {
    expect(() => roundDivide(1n, 0n, 'half-even')).toThrow(RangeError);
    expect(() => roundDivide(1n, 2n, 'half-down' as RoundingMode)).toThrow(/unknown rounding mode/);
    expect(() => roundDivide(1 as unknown as bigint, 2n, 'half-up')).toThrow(TypeError);
  });
});
