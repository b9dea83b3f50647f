import { currencyInfo } from './currencies';
import { Decimal, DecimalRule, decimalsEqual, formatDecimal, InvalidDecimalError, MAX_DECIMAL_SCALE, parseRate, roundDivide, RoundingMode } from './decimal';
import { assertIsoDate } from './iso-date';

/**
 * A reference rate: `inrPerUnit` rupees buy ONE unit of `currency` from `effectiveFrom` (inclusive)
 * until the next rate of that currency takes effect. This is how RBI, and since July 2018 FBIL, quote
 * USD, EUR and GBP (e.g. USD 84.2345). They quote the yen per 100 (JPY 55.67 means 55.67 rupees for
 * 100 yen); this model stores every currency per 1 unit, so that yen rate is stored as `"0.5567"`
 * (see `inrPerUnitFromQuote`). `inrPerUnit` is a decimal string, never a number.
 */
export interface FxRate {
  /** An ISO 4217 code (`isCurrencyCode`). */
  readonly currency: string;
  /** `YYYY-MM-DD`. */
  readonly effectiveFrom: string;
  readonly inrPerUnit: string;
}

/** Thrown when no rate is in force for a currency on a date; names both, and carries a stable code. */
export class FxRateMissingError extends Error {
  readonly code = 'MONEY.FX_RATE_MISSING';

  constructor(
    readonly currency: string,
    readonly date: string,
  ) {
    super(`no INR reference rate for ${currency} in force on ${date}`);
    this.name = 'FxRateMissingError';
  }
}

/**
 * The rate of `currency` in force on `date`: of the rates for that currency, the one with the latest
 * `effectiveFrom` on or before `date`; undefined before the first. INR is always 1 (whatever `rates`
 * holds for it), returned with `date` as its effectiveFrom. Two rates for one currency and day that
 * disagree are a data error and throw, rather than letting list order pick one.
 */
export function rateOn(rates: readonly FxRate[], currency: string, date: string): FxRate | undefined {
  currencyInfo(currency); // throws UnknownCurrencyError
  assertIsoDate(date, 'date');
  if (currency === 'INR') return { currency: 'INR', effectiveFrom: date, inrPerUnit: '1' };
  let found: FxRate | undefined;
  for (const rate of rates) {
    if (rate.currency !== currency) continue;
    assertIsoDate(rate.effectiveFrom, `effectiveFrom of a ${currency} rate`);
    if (rate.effectiveFrom > date) continue;
    if (found && rate.effectiveFrom === found.effectiveFrom && !decimalsEqual(parseRate(rate.inrPerUnit), parseRate(found.inrPerUnit))) {
      throw new RangeError(`two ${currency} rates effective ${rate.effectiveFrom} disagree: ${found.inrPerUnit} and ${rate.inrPerUnit}`);
    }
    if (!found || rate.effectiveFrom > found.effectiveFrom) found = rate;
  }
  return found && { currency: found.currency, effectiveFrom: found.effectiveFrom, inrPerUnit: found.inrPerUnit };
}

/**
 * A quote as RBI/FBIL publish it, for `quotedPer` units, as the per-one-unit rate this model stores:
 * `inrPerUnitFromQuote('55.67', 100)` → `'0.5567'`. Exact (a decimal shift), never a division.
 */
export function inrPerUnitFromQuote(quote: string, quotedPer: 1 | 100): string {
  const rate = parseRate(quote);
  const scale = rate.scale + (quotedPer === 100 ? 2 : 0);
  if (scale > MAX_DECIMAL_SCALE) throw new InvalidDecimalError(DecimalRule.scale, `a rate per unit has at most ${MAX_DECIMAL_SCALE} digits after the point`);
  return formatDecimal({ units: rate.units, scale });
}

/**
 * The rounding this library recommends for recorded export values: half-even. Reference rates carry
 * 4 decimals, so ties are common, not rare: USD 10.00 at 84.2345 is exactly 84234.5 paise, as is every
 * whole-dollar price ≡ 10 (mod 20). Half-up would add half a paisa to each such line, always upward;
 * half-even sends ties up and down equally often, so totals summed from many lines do not drift. Use
 * half-up where a figure must match what a spreadsheet's ROUND or a printed invoice shows.
 */
export const RECORDED_VALUE_ROUNDING: RoundingMode = 'half-even';

export interface ConvertMinorInput {
  /** In minor units of `from`; negative for returns and other downward adjustments. */
  readonly amountMinor: bigint;
  readonly from: string;
  readonly to: string;
  /** Rupees per one unit of `from` (`'1'` for INR). */
  readonly fromInrPerUnit: string;
  /** Rupees per one unit of `to` (`'1'` for INR). */
  readonly toInrPerUnit: string;
  readonly rounding: RoundingMode;
}

/**
 * `amountMinor` of `from` in minor units of `to`, through the rupee, rounded ONCE at the very end:
 *
 *   amountMinor / 10^fromExp × fromInrPerUnit / toInrPerUnit × 10^toExp
 *
 * evaluated as one exact fraction of BigInts, then `roundDivide`. A cross conversion (EUR → USD) is
 * not EUR → INR rounded to paise and then INR → USD rounded to cents: each intermediate rounding can
 * move the result by a cent, and the error would depend on the route. Because the rounding modes are
 * symmetric about zero, converting −x gives exactly −(converting x): a return cancels its sale.
 */
export function convertMinor(input: ConvertMinorInput): bigint {
  const { amountMinor, from, to, rounding } = input;
  if (typeof amountMinor !== 'bigint') throw new TypeError('amountMinor must be a bigint');
  const fromExponent = currencyInfo(from).minorUnits;
  const toExponent = currencyInfo(to).minorUnits;
  const fromRate = rateOf(from, input.fromInrPerUnit);
  const toRate = rateOf(to, input.toInrPerUnit);
  if (from === to && !decimalsEqual(fromRate, toRate)) {
    throw new RangeError(`${from} to ${from} with two different rates (${input.fromInrPerUnit}, ${input.toInrPerUnit})`);
  }
  const numerator = amountMinor * fromRate.units * pow10(toRate.scale + toExponent);
  const denominator = toRate.units * pow10(fromRate.scale + fromExponent);
  return roundDivide(numerator, denominator, rounding);
}

export interface ToUsdAndInrInput {
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly rates: readonly FxRate[];
  /** The day whose rates apply, `YYYY-MM-DD` (for an export line: its shipping or invoice date, as the caller's policy says). */
  readonly date: string;
  readonly rounding: RoundingMode;
}

export interface UsdAndInr {
  readonly usdMinor: bigint;
  readonly inrMinor: bigint;
  /** The rate of the line's own currency (INR: 1). */
  readonly rateUsed: FxRate;
  /** The USD rate the USD value was derived with. */
  readonly usdRateUsed: FxRate;
}

/**
 * One line's value in USD cents and in paise, each converted from the original amount with a single
 * rounding (the USD value is NOT derived from the rounded rupee value), with the rates used, so the
 * record can be re-derived and audited later.
 *
 * Where rounding happens: per line, here, and the result is recorded with the line. Totals (per seller,
 * programme, month) are sums of the recorded line values (`sumMinor`), never a fresh conversion of a
 * summed foreign amount. A line's recorded value then never changes when other lines arrive, a total
 * always equals the sum of the lines a report lists, and totals in mixed currencies need no rate of
 * their own. The cost is that a total can differ from "convert the sum" by at most half a minor unit
 * per line; that is the accepted, documented trade.
 *
 * Throws FxRateMissingError (naming the currency and date) when the currency, or USD, has no rate in
 * force on `date`.
 */
export function toUsdAndInr(input: ToUsdAndInrInput): UsdAndInr {
  const { amountMinor, currency, rates, date, rounding } = input;
  const rateUsed = rateOn(rates, currency, date);
  if (!rateUsed) throw new FxRateMissingError(currency, date);
  const usdRateUsed = rateOn(rates, 'USD', date);
  if (!usdRateUsed) throw new FxRateMissingError('USD', date);
  const from = { amountMinor, from: currency, fromInrPerUnit: rateUsed.inrPerUnit, rounding };
  return {
    inrMinor: convertMinor({ ...from, to: 'INR', toInrPerUnit: '1' }),
    usdMinor: convertMinor({ ...from, to: 'USD', toInrPerUnit: usdRateUsed.inrPerUnit }),
    rateUsed,
    usdRateUsed,
  };
}

function rateOf(currency: string, inrPerUnit: string): Decimal {
  const rate = parseRate(inrPerUnit);
  if (currency === 'INR' && !decimalsEqual(rate, { units: 1n, scale: 0 })) {
    throw new RangeError(`INR is worth 1 rupee, not ${inrPerUnit}`);
  }
  return rate;
}

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}
