export const MSME_CATEGORIES = ['micro', 'small', 'medium', 'not-msme'] as const;
export type MsmeCategory = (typeof MSME_CATEGORIES)[number];

/** Ceilings of one category, in whole rupees; an enterprise at the ceiling is still in the category. */
export interface MsmeLimits {
  readonly investment: number;
  readonly turnover: number;
}

export interface MsmeRuleTable {
  readonly id: string;
  /** The first calendar day (in India) the table applies, `YYYY-MM-DD`. */
  readonly inForceFrom: string;
  readonly limits: Readonly<Record<Exclude<MsmeCategory, 'not-msme'>, MsmeLimits>>;
}

/**
 * The classification tables under section 7 of the MSMED Act, 2006, oldest first. A table applies
 * from its date until the next one starts. A new notification is a new entry here, never an edit of
 * an old one: classifications made under an earlier table must stay reproducible.
 *
 * Before 1 July 2020 enterprises were classified by investment alone, with different limits for
 * manufacturing and services; that scheme is not a composite test and is deliberately not modelled.
 */
export const MSME_RULE_TABLES: readonly MsmeRuleTable[] = Object.freeze([
  // Ministry of MSME notification S.O. 2119(E) of 26 June 2020 (which replaced S.O. 1702(E) of
  // 1 June 2020 before it took effect): the composite investment-and-turnover test, from 1 July 2020.
  Object.freeze({
    id: 'msme-2020-07-01',
    inForceFrom: '2020-07-01',
    limits: Object.freeze({
      micro: Object.freeze({ investment: 10_000_000, turnover: 50_000_000 }), // ₹1 crore, ₹5 crore
      small: Object.freeze({ investment: 100_000_000, turnover: 500_000_000 }), // ₹10 crore, ₹50 crore
      medium: Object.freeze({ investment: 500_000_000, turnover: 2_500_000_000 }), // ₹50 crore, ₹250 crore
    }),
  }),
  // Ministry of MSME notification S.O. 1364(E) of 21 March 2025, amending S.O. 2119(E): investment
  // ceilings ×2.5 and turnover ceilings ×2, from 1 April 2025.
  Object.freeze({
    id: 'msme-2025-04-01',
    inForceFrom: '2025-04-01',
    limits: Object.freeze({
      micro: Object.freeze({ investment: 25_000_000, turnover: 100_000_000 }), // ₹2.5 crore, ₹10 crore
      small: Object.freeze({ investment: 250_000_000, turnover: 1_000_000_000 }), // ₹25 crore, ₹100 crore
      medium: Object.freeze({ investment: 1_250_000_000, turnover: 5_000_000_000 }), // ₹125 crore, ₹500 crore
    }),
  }),
]);

/** Smallest first: the composite test places an enterprise in the first category it fits. */
const CATEGORIES = ['micro', 'small', 'medium'] as const;

export interface EnterpriseFigures {
  /** Written-down value of plant and machinery or equipment, in whole rupees. */
  readonly investmentInPlantAndMachinery: number;
  /** Total turnover of the year, exports included, in whole rupees. */
  readonly annualTurnover: number;
  /** The export part of `annualTurnover`, in whole rupees. */
  readonly exportTurnover: number;
}

export interface MsmeClassification {
  readonly category: MsmeCategory;
  readonly ruleId: string;
  readonly inForceFrom: string;
  /** `annualTurnover − exportTurnover`: the turnover the test was applied to. */
  readonly turnoverConsidered: number;
}

export type MsmeClassificationErrorCode = 'MSME.INVALID_FIGURES' | 'MSME.EXPORTS_EXCEED_TURNOVER' | 'MSME.INVALID_DATE' | 'MSME.NO_RULES_IN_FORCE';

export class MsmeClassificationError extends Error {
  constructor(
    readonly code: MsmeClassificationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MsmeClassificationError';
  }
}

/**
 * Micro, small, medium or not an MSME, by the composite test of the table in force on `onDate`: the
 * smallest category whose investment ceiling and turnover ceiling both hold. Crossing either ceiling
 * of a category moves the enterprise up, which is the notification's "crosses the ceiling in either
 * of the two criteria" rule. Exports are left out of turnover, as the 2020 notification requires.
 *
 * This classifies one year's figures. The notification's rule that an enterprise moves down only
 * when it falls below both ceilings, and only from the next financial year, is about a history of
 * classifications and belongs to whoever keeps that history.
 *
 * Throws MsmeClassificationError for figures that are not non-negative safe integers, exports larger
 * than turnover, a date that is not a calendar date, or a date before the first table.
 */
export function classifyEnterprise(figures: EnterpriseFigures, onDate: Date | string): MsmeClassification {
  const investment = wholeRupees(figures, 'investmentInPlantAndMachinery');
  const annualTurnover = wholeRupees(figures, 'annualTurnover');
  const exportTurnover = wholeRupees(figures, 'exportTurnover');
  if (exportTurnover > annualTurnover) {
    throw new MsmeClassificationError(
      'MSME.EXPORTS_EXCEED_TURNOVER',
      `exportTurnover (${exportTurnover}) cannot exceed annualTurnover (${annualTurnover}): exports are part of turnover`,
    );
  }
  const table = msmeRuleTableOn(onDate);
  const turnoverConsidered = annualTurnover - exportTurnover;
  const category =
    CATEGORIES.find((name) => investment <= table.limits[name].investment && turnoverConsidered <= table.limits[name].turnover) ?? 'not-msme';
  return { category, ruleId: table.id, inForceFrom: table.inForceFrom, turnoverConsidered };
}

/** The table in force on a calendar date in India; throws MsmeClassificationError before the first. */
export function msmeRuleTableOn(onDate: Date | string): MsmeRuleTable {
  const day = calendarDateOf(onDate);
  const table = [...MSME_RULE_TABLES].reverse().find((candidate) => candidate.inForceFrom <= day);
  if (table === undefined) {
    throw new MsmeClassificationError(
      'MSME.NO_RULES_IN_FORCE',
      `no MSME classification table in this data is in force on ${day}; the first starts on ${MSME_RULE_TABLES[0].inForceFrom}`,
    );
  }
  return table;
}

const INDIA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar date in India (Asia/Kolkata, UTC+05:30 all year) of an instant, `YYYY-MM-DD`.
 * A notification in force "from 1 April 2025" applies from midnight in India, which is
 * 2025-03-31T18:30:00Z; taking the UTC date instead would classify by the old table for the first
 * five and a half hours of the day.
 */
export function indianCalendarDate(instant: Date): string {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new MsmeClassificationError('MSME.INVALID_DATE', 'the date is not a valid Date');
  }
  const parts = Object.fromEntries(INDIA_DATE.formatToParts(instant).map((part) => [part.type, part.value]));
  const day = `${parts['year']}-${parts['month']}-${parts['day']}`;
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) {
    throw new MsmeClassificationError('MSME.INVALID_DATE', 'the date is outside the years 1000-9999');
  }
  return day;
}

/** A `YYYY-MM-DD` string is already a date in India and is taken as is, once checked to exist. */
function calendarDateOf(onDate: Date | string): string {
  if (onDate instanceof Date) return indianCalendarDate(onDate);
  const match = typeof onDate === 'string' ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(onDate) : null;
  if (match === null) {
    throw new MsmeClassificationError('MSME.INVALID_DATE', 'the date must be a Date or a calendar date written YYYY-MM-DD');
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new MsmeClassificationError('MSME.INVALID_DATE', `${onDate} is not a calendar date`);
  }
  return onDate;
}

function wholeRupees(figures: EnterpriseFigures, field: keyof EnterpriseFigures): number {
  const value: unknown = figures === null || typeof figures !== 'object' ? undefined : figures[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MsmeClassificationError('MSME.INVALID_FIGURES', `${field} must be a whole number of rupees, 0 or more, up to ${Number.MAX_SAFE_INTEGER}`);
  }
  return value;
}
