/**
 * An exact decimal: the value is `units / 10^scale`, so `"83.1234"` is `{ units: 831234n, scale: 4 }`.
 * Rates and amounts never pass through a JavaScript number: 0.1 + 0.2 is not 0.3 in binary floating
 * point, and integers past 2^53 lose their last digits. Decimals come from strings and stay BigInt.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Most fractional digits any decimal here may carry (FBIL publishes 4; 12 leaves room for cross rates). */
export const MAX_DECIMAL_SCALE = 12;

export const DecimalRule = {
  format: 'decimalFormat',
  exponent: 'decimalExponent',
  scale: 'decimalScale',
  negative: 'decimalNegative',
  zero: 'decimalZero',
} as const;

export type DecimalRuleCode = (typeof DecimalRule)[keyof typeof DecimalRule];

export interface DecimalViolation {
  readonly code: DecimalRuleCode;
  readonly message: string;
}

export interface ParseDecimalOptions {
  /** Most fractional digits accepted, 0 to MAX_DECIMAL_SCALE; default MAX_DECIMAL_SCALE. */
  readonly maxScale?: number;
  /** Default true. A rate is never negative: `parseRate` sets false. */
  readonly allowNegative?: boolean;
  /** Default true. A rate is never zero (it divides): `parseRate` sets false. */
  readonly allowZero?: boolean;
}

/** What a reference rate must be: positive, at most MAX_DECIMAL_SCALE fractional digits. */
export const RATE_DECIMAL_OPTIONS: ParseDecimalOptions = Object.freeze({ allowNegative: false, allowZero: false });

/** Thrown by the parsers; `code` is one of DecimalRule. */
export class InvalidDecimalError extends Error {
  constructor(
    readonly code: DecimalRuleCode,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidDecimalError';
  }
}

const PLAIN = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;
const WITH_EXPONENT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$/;

/**
 * The one thing wrong with `value` as a decimal under `options`, or undefined. Accepted: an optional
 * `-`, digits, and optionally a point followed by digits (`"83.1234"`, `"-12"`, `"0.5567"`, `"007.50"`).
 * Refused: anything that is not a string (a JS number has already been through binary floating point),
 * exponents (`"8.4e1"`), `"+1"`, `".5"`, `"5."`, grouping (`"1,234"`), spaces.
 */
export function checkDecimal(value: unknown, options: ParseDecimalOptions = {}): DecimalViolation | undefined {
  const result = read(value, options);
  return 'violation' in result ? result.violation : undefined;
}

/** `"83.1234"` → `{ units: 831234n, scale: 4 }`, keeping the scale as written (`"1.50"` has scale 2). Throws InvalidDecimalError. */
export function parseDecimal(value: string, options: ParseDecimalOptions = {}): Decimal {
  const result = read(value, options);
  if ('violation' in result) throw new InvalidDecimalError(result.violation.code, result.violation.message);
  return result.decimal;
}

/** A reference rate: positive, at most MAX_DECIMAL_SCALE fractional digits. Throws InvalidDecimalError. */
export function parseRate(value: string): Decimal {
  return parseDecimal(value, RATE_DECIMAL_OPTIONS);
}

/** `{ units: -5n, scale: 3 }` → `"-0.005"`: the inverse of parseDecimal, scale kept. */
export function formatDecimal(decimal: Decimal): string {
  const digits = abs(decimal.units).toString().padStart(decimal.scale + 1, '0');
  const sign = decimal.units < 0n ? '-' : '';
  if (decimal.scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimal.scale)}.${digits.slice(-decimal.scale)}`;
}

/** Same value whatever the scale: `"84.20"` equals `"84.2"`. */
export function decimalsEqual(a: Decimal, b: Decimal): boolean {
  return a.units * 10n ** BigInt(b.scale) === b.units * 10n ** BigInt(a.scale);
}

export type RoundingMode = 'half-even' | 'half-up';

export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze(['half-even', 'half-up']);

/**
 * `numerator / denominator` rounded to an integer, exactly, for any signs. Only ties (a remainder of
 * exactly one half) depend on the mode:
 * - `'half-up'`: away from zero, so 2.5 → 3 and -2.5 → -3. This is the "round half up" of accounting
 *   and of spreadsheets' ROUND, symmetric about zero; it is NOT JavaScript's Math.round, which sends
 *   -2.5 to -2.
 * - `'half-even'`: to the even neighbour, so 2.5 → 2, 3.5 → 4, -2.5 → -2 (banker's rounding): ties go
 *   up and down equally often, so sums of many rounded values do not drift.
 * Both are symmetric: roundDivide(-n, d) === -roundDivide(n, d). Non-ties go to the nearest integer.
 */
export function roundDivide(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (typeof numerator !== 'bigint' || typeof denominator !== 'bigint') throw new TypeError('roundDivide takes bigint operands');
  if (denominator === 0n) throw new RangeError('roundDivide: division by zero');
  if (mode !== 'half-even' && mode !== 'half-up') throw new RangeError(`unknown rounding mode ${String(mode)}`);
  const negative = numerator < 0n !== denominator < 0n;
  const n = abs(numerator);
  const d = abs(denominator);
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && (mode === 'half-up' || quotient % 2n === 1n))) quotient += 1n;
  return negative ? -quotient : quotient;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function read(value: unknown, options: ParseDecimalOptions): { decimal: Decimal } | { violation: DecimalViolation } {
  const maxScale = options.maxScale ?? MAX_DECIMAL_SCALE;
  if (!Number.isInteger(maxScale) || maxScale < 0 || maxScale > MAX_DECIMAL_SCALE) {
    throw new RangeError(`maxScale must be an integer from 0 to ${MAX_DECIMAL_SCALE}`);
  }
  const violation = (code: DecimalRuleCode, message: string) => ({ violation: { code, message } });
  if (typeof value !== 'string') {
    return violation(DecimalRule.format, 'a decimal must be given as a string of digits, like "83.1234", never as a number');
  }
  const match = PLAIN.exec(value);
  if (!match) {
    if (WITH_EXPONENT.test(value)) return violation(DecimalRule.exponent, 'a decimal must be written out in digits, without an exponent (no "e")');
    return violation(DecimalRule.format, 'a decimal is digits with an optional leading "-" and an optional point followed by digits, like "83.1234"');
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > maxScale) {
    return violation(DecimalRule.scale, `a decimal here has at most ${maxScale} digits after the point; this one has ${fraction.length}`);
  }
  const magnitude = BigInt(whole + fraction);
  if (magnitude === 0n && options.allowZero === false) return violation(DecimalRule.zero, 'must not be zero');
  if (sign === '-' && magnitude !== 0n && options.allowNegative === false) return violation(DecimalRule.negative, 'must not be negative');
  return { decimal: { units: sign === '-' ? -magnitude : magnitude, scale: fraction.length } };
}
