import { Violation } from './violation';

export const PinCodeRule = {
  format: 'pinCodeFormat',
} as const;

/** The first digit is the postal zone, 1-8 for the regions and 9 for the Army Postal Service; none is 0. */
const PIN_SHAPE = /^[1-9][0-9]{5}$/;

export function validatePinCode(value: unknown): Violation[] {
  if (typeof value === 'string' && PIN_SHAPE.test(value)) return [];
  return [{ code: PinCodeRule.format, message: 'PIN code must be 6 digits, the first not 0' }];
}

export function isPinCode(value: unknown): value is string {
  return validatePinCode(value).length === 0;
}
