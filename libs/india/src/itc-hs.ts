import { Violation } from './violation';

export const ItcHsRule = {
  code: 'itcHsCode',
} as const;

/**
 * Chapter 77 is reserved in the Harmonized System for future use, so no tariff line starts with it.
 * India's ITC(HS) adds chapter 98 (project imports, baggage and similar), so the range is 01-98.
 */
const RESERVED_CHAPTER = '77';

/**
 * An ITC(HS) code is India's 8-digit tariff line: the 6-digit HS subheading plus two national digits.
 * It must be a string: a number loses the leading zero of chapters 01-09.
 */
export function validateItcHsCode(value: unknown): Violation[] {
  if (typeof value !== 'string' || !/^[0-9]{8}$/.test(value)) {
    return [{ code: ItcHsRule.code, message: 'ITC(HS) code must be 8 digits, as text' }];
  }
  const chapter = value.slice(0, 2);
  if (chapter === '00' || chapter === '99' || chapter === RESERVED_CHAPTER) {
    return [{ code: ItcHsRule.code, message: `ITC(HS) code must start with a chapter 01-98 other than 77; ${chapter} is not one` }];
  }
  return [];
}

export function isItcHsCode(value: unknown): value is string {
  return validateItcHsCode(value).length === 0;
}

/** `'74199930'` → `'74'`; undefined unless the code is valid. */
export function hsChapterOf(code: string): string | undefined {
  return isItcHsCode(code) ? code.slice(0, 2) : undefined;
}
