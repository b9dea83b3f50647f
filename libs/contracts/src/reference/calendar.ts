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

/**
 * When a partner's facts can have happened: not before 2000 (no MSME export Niryat counts is older)
 * and at most a day ahead of this server's clock (clocks drift, a shipping bill may be dated for
 * tomorrow in India; a later one is a typo). The upper bound moves with time, so a record refused
 * for it today may pass tomorrow: its reason says so.
 */
export const PLAUSIBLE_FACTS = { firstDay: '2000-01-01', aheadMs: 24 * 3600 * 1000 } as const;

const IST_OFFSET_MS = 5.5 * 3600 * 1000;
/** Tomorrow's date in India, YYYY-MM-DD: the latest day a shipping bill may carry. */
export const latestPlausibleDay = (now = Date.now()) => new Date(now + IST_OFFSET_MS + PLAUSIBLE_FACTS.aheadMs).toISOString().slice(0, 10);

/** `recentDay`: a day (checked as a calendar day by IsCalendarDay beside it) from 2000-01-01 to tomorrow in India. */
export function IsRecentDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'recentDay',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !isIsoDate(value) || (value >= PLAUSIBLE_FACTS.firstDay && value <= latestPlausibleDay()),
        defaultMessage: (args) =>
          `${args?.property} must be from ${PLAUSIBLE_FACTS.firstDay} to ${latestPlausibleDay()} (tomorrow in India): a day before 2000 or further ahead cannot be a shipment's`,
      },
    },
    options,
  );
}

/** `recentTime`: an instant (a timestamp checked by its other rules) from 2000-01-01T00:00:00Z to 24 hours after now. */
export function IsRecentTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'recentTime',
      validator: {
        validate: (value: unknown) => {
          const at = typeof value === 'string' ? Date.parse(value) : NaN;
          return Number.isNaN(at) || (at >= Date.parse(`${PLAUSIBLE_FACTS.firstDay}T00:00:00Z`) && at <= Date.now() + PLAUSIBLE_FACTS.aheadMs);
        },
        defaultMessage: (args) =>
          // No instant in the message: two checks of one payload must give one verdict, word for word.
          `${args?.property} must be from ${PLAUSIBLE_FACTS.firstDay}T00:00:00Z to at most 24 hours after this server's clock`,
      },
    },
    options,
  );
}
