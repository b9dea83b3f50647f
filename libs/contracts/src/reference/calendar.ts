import { isIsoDate } from '@niryat/money';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/** Years a day or month Niryat is told about may fall in: exports, programmes and reports of this era, nothing of year 0. */
export const PLAUSIBLE_YEARS = { first: 1950, last: 2099 } as const;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const plausible = (year: number) => year >= PLAUSIBLE_YEARS.first && year <= PLAUSIBLE_YEARS.last;

/** A day that exists in the calendar, written YYYY-MM-DD, in a plausible year: no 2026-02-30, no 0000-01-01. */
export function isCalendarDay(value: unknown): value is string {
  return isIsoDate(value) && plausible(Number(value.slice(0, 4)));
}

/** A month written YYYY-MM in a plausible year: no 0000-01. */
export function isCalendarMonth(value: unknown): value is string {
  const match = typeof value === 'string' ? MONTH.exec(value) : null;
  return match !== null && plausible(Number(match[1]));
}

/** `calendarDay`: a real day, YYYY-MM-DD, between 1950 and 2099. */
export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'calendarDay',
      validator: {
        validate: isCalendarDay,
        defaultMessage: (args) => `${args?.property} must be a day of the calendar written YYYY-MM-DD, from ${PLAUSIBLE_YEARS.first} to ${PLAUSIBLE_YEARS.last}`,
      },
    },
    options,
  );
}

/** `calendarMonth`: a month, YYYY-MM, between 1950 and 2099. */
export function IsCalendarMonth(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'calendarMonth',
      validator: {
        validate: isCalendarMonth,
        defaultMessage: (args) => `${args?.property} must be a month written YYYY-MM, from ${PLAUSIBLE_YEARS.first} to ${PLAUSIBLE_YEARS.last}`,
      },
    },
    options,
  );
}

/** `notBefore`: this day or month is not earlier than `field`'s (when both are there): `to` after `from`. */
export function NotBefore(field: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBefore',
      constraints: [field],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[field];
          return typeof value !== 'string' || typeof other !== 'string' || value >= other;
        },
        defaultMessage: (args) => `${args?.property} must not be before ${field}`,
      },
    },
    options,
  );
}
