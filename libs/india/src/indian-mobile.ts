import { Violation } from './violation';

export const IndianMobileRule = {
  format: 'indianMobile',
} as const;

/** E.164 for an Indian mobile: +91 and ten digits; mobile numbers are allotted from the 6-9 series only. */
const MOBILE_SHAPE = /^\+91[6-9][0-9]{9}$/;

/**
 * `' +91 98765 43210 '` → `'+919876543210'`: trims and drops the spaces and hyphens people group
 * digits with. Does not add a missing +91 (a bare ten-digit number could be a foreign one typed
 * without its prefix). Anything that is not a string is returned as is, for the validator to refuse.
 */
export function normaliseIndianMobile(value: string): string;
export function normaliseIndianMobile(value: unknown): unknown;
export function normaliseIndianMobile(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().replace(/[ -]/g, '') : value;
}

/** Accepts the spaced and hyphenated forms too; store `normaliseIndianMobile(value)`. */
export function validateIndianMobile(value: unknown): Violation[] {
  const normalised = normaliseIndianMobile(value);
  if (typeof normalised === 'string' && MOBILE_SHAPE.test(normalised)) return [];
  return [{ code: IndianMobileRule.format, message: 'mobile number must be +91 followed by 10 digits starting with 6, 7, 8 or 9' }];
}

export function isIndianMobile(value: unknown): value is string {
  return validateIndianMobile(value).length === 0;
}
