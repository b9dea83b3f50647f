import { Violation } from './violation';

export const PanRule = {
  format: 'panFormat',
  holderType: 'panHolderType',
  serial: 'panSerial',
} as const;

/**
 * The fourth character of a PAN: the kind of holder. LLPs get F like firms (the "E for LLP" found in
 * some validators is not issued), and the "K (Krish)" some libraries list has no basis in the Income
 * Tax Department's PAN structure, so neither is accepted.
 */
export const PAN_HOLDER_TYPES: Readonly<Record<string, string>> = Object.freeze({
  P: 'Individual',
  C: 'Company',
  H: 'Hindu undivided family (HUF)',
  F: 'Firm or limited liability partnership',
  A: 'Association of persons (AOP)',
  T: 'Trust',
  B: 'Body of individuals (BOI)',
  L: 'Local authority',
  J: 'Artificial juridical person',
  G: 'Government',
});

const PAN_SHAPE = /^[A-Z]{5}[0-9]{4}[A-Z]$/;
const HOLDER_LETTERS = Object.keys(PAN_HOLDER_TYPES).join(', ');

/**
 * A PAN is `AAAAA9999A`. Once the shape holds, the holder type and the serial are independent, so
 * both are reported; a wrong shape is the only thing reported when it is wrong. The tenth character
 * is a check letter whose algorithm the Income Tax Department does not publish, so it is not checked.
 */
export function validatePan(value: unknown): Violation[] {
  if (typeof value !== 'string' || !PAN_SHAPE.test(value)) {
    return [{ code: PanRule.format, message: 'PAN must be 10 characters: 5 letters, 4 digits, 1 letter (AAAAA9999A)' }];
  }
  const violations: Violation[] = [];
  const holder = value[3];
  if (!Object.prototype.hasOwnProperty.call(PAN_HOLDER_TYPES, holder)) {
    violations.push({
      code: PanRule.holderType,
      message: `PAN character 4 is the holder type and must be one of ${HOLDER_LETTERS}; ${holder} is not one`,
    });
  }
  if (value.slice(5, 9) === '0000') {
    violations.push({ code: PanRule.serial, message: 'PAN characters 6-9 are a serial from 0001 to 9999; 0000 is never issued' });
  }
  return violations;
}

export function isPan(value: unknown): value is string {
  return validatePan(value).length === 0;
}

/** `'AAAPL1234C'` → `'Individual'`; undefined unless the value is a valid PAN. */
export function panHolderTypeOf(pan: string): string | undefined {
  return isPan(pan) ? PAN_HOLDER_TYPES[pan[3]] : undefined;
}
