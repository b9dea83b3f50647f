import { Violation } from './violation';

export const IfscRule = {
  format: 'ifscFormat',
} as const;

/** Four letters for the bank, a 0 RBI keeps for future use, six letters or digits for the branch. */
const IFSC_SHAPE = /^[A-Z]{4}0[A-Z0-9]{6}$/;

export function validateIfsc(value: unknown): Violation[] {
  if (typeof value === 'string' && IFSC_SHAPE.test(value)) return [];
  return [{ code: IfscRule.format, message: 'IFSC must be 11 characters: 4 letters (bank), 0, then 6 letters or digits (branch)' }];
}

export function isIfsc(value: unknown): value is string {
  return validateIfsc(value).length === 0;
}
