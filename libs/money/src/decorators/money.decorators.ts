import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { isCountryCode } from '../countries';
import { isCurrencyCode } from '../currencies';
import { checkDecimal, RATE_DECIMAL_OPTIONS } from '../decimal';
import { isIsoDate } from '../iso-date';

/** The constraint names these decorators report, as clients see them in `fields[].code`: add, never rename. */
export const MoneyRule = {
  currencyCode: 'currencyCode',
  countryCode: 'countryCode',
  minorUnits: 'minorUnits',
  rate: 'rate',
  isoDate: 'isoDate',
} as const;

const fieldOf = (args?: ValidationArguments) => args?.property || 'value';

/** `currencyCode`: an active ISO 4217 code with a minor unit, upper case (`USD`, `INR`, `JPY`). */
export function IsCurrencyCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: MoneyRule.currencyCode,
      validator: {
        validate: (value: unknown) => isCurrencyCode(value),
        defaultMessage: (args) => `${fieldOf(args)} must be an active ISO 4217 currency code in capitals, like USD, EUR or INR`,
      },
    },
    validationOptions,
  );
}

/** `countryCode`: an officially assigned ISO 3166-1 alpha-2 code, upper case (`AE`, `GB`, not `UK`). */
export function IsCountryCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: MoneyRule.countryCode,
      validator: {
        validate: (value: unknown) => isCountryCode(value),
        defaultMessage: (args) => `${fieldOf(args)} must be an ISO 3166-1 alpha-2 country code in capitals, like AE, GB or US`,
      },
    },
    validationOptions,
  );
}

export interface MinorUnitsOptions {
  /** Refuse negative amounts (a sale); leave false where negatives mean returns or adjustments. */
  readonly nonNegative?: boolean;
}

/**
 * `minorUnits`: an amount in minor units (cents, paise, yen) as JSON carries it, a number that is a
 * safe integer (|n| ≤ 2^53 − 1, i.e. up to about USD 90 trillion in cents), optionally zero or more.
 * Fractions, strings, NaN and anything past 2^53 are refused: past it a JSON number has already lost
 * digits. Take it into arithmetic with `BigInt(value)` once validated.
 */
export function IsMinorUnits(options: MinorUnitsOptions = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const nonNegative = options.nonNegative === true;
  return ValidateBy(
    {
      name: MoneyRule.minorUnits,
      constraints: [nonNegative],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && (!nonNegative || value >= 0),
        defaultMessage: (args) =>
          `${fieldOf(args)} must be a whole number of minor units (cents, paise), at most 9007199254740991 in size` +
          (nonNegative ? ', and not negative' : ''),
      },
    },
    validationOptions,
  );
}

/** Largest INR-per-unit rate stored (numeric(21,12): nine digits before the point). */
const MAX_RATE_INTEGER_DIGITS = 9;

function rateProblem(value: unknown): string | undefined {
  const violation = checkDecimal(value, RATE_DECIMAL_OPTIONS);
  if (violation) return violation.message;
  const integerDigits = String(value).split('.')[0].replace(/^0+(?=\d)/, '').length;
  return integerDigits > MAX_RATE_INTEGER_DIGITS ? `must be below 1000000000 (at most ${MAX_RATE_INTEGER_DIGITS} digits before the point)` : undefined;
}

/** `rate`: a reference rate as an exact decimal string: positive (never zero: it divides), below 10^9, at most 12 decimals, no exponent. */
export function IsRate(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: MoneyRule.rate,
      validator: {
        validate: (value: unknown) => rateProblem(value) === undefined,
        defaultMessage: (args) => `${fieldOf(args)}: ${rateProblem(args?.value) ?? 'must be a positive decimal string'}`,
      },
    },
    validationOptions,
  );
}

/** `isoDate`: a calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export function IsIsoDate(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: MoneyRule.isoDate,
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: (args) => `${fieldOf(args)} must be a calendar date YYYY-MM-DD that exists`,
      },
    },
    validationOptions,
  );
}
