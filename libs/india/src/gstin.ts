import { validatePan } from './pan';
import { isGstStateCode } from './states';
import { InvalidIdentifierError, maskIdentifier, Violation } from './violation';

export const GstinRule = {
  length: 'gstinLength',
  stateCode: 'gstinStateCode',
  pan: 'gstinPan',
  entityNumber: 'gstinEntityNumber',
  defaultZ: 'gstinDefaultZ',
  checkCharacter: 'gstinCheckCharacter',
} as const;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const RADIX = ALPHABET.length;

/**
 * The fifteenth character of a GSTIN, from the first fourteen: Luhn mod 36 over the alphabet 0-9A-Z
 * (0 → 0, 9 → 9, A → 10, … Z → 35).
 *
 * Going left to right, each character's value is multiplied by a factor that alternates 1, 2, 1, 2, …
 * (1 for the first character). A product can reach 70, so it is folded back into one base-36 digit
 * the way Luhn folds a doubled decimal digit: quotient plus remainder of the product divided by 36.
 * The check character is the one that brings the sum of those digits to a multiple of 36:
 * (36 − sum mod 36) mod 36. Like Luhn, it catches every single-character typo and every swap of
 * neighbouring characters except 0 with Z (Luhn's 09/90 blind spot in base 36): the mistakes people
 * make when copying a GSTIN by hand.
 */
export function gstinCheckCharacter(first14: string): string {
  if (!/^[0-9A-Z]{14}$/.test(first14)) {
    throw new RangeError('gstinCheckCharacter needs the first 14 characters of a GSTIN, each 0-9 or A-Z');
  }
  let sum = 0;
  for (let i = 0; i < first14.length; i++) {
    const product = ALPHABET.indexOf(first14[i]) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / RADIX) + (product % RADIX);
  }
  return ALPHABET[(RADIX - (sum % RADIX)) % RADIX];
}

/**
 * Rules in three tiers, so a message names the root cause rather than everything downstream of it:
 * 1. `gstinLength`: not a string of 15 characters. Nothing else is checked, since every position
 *    would be shifted.
 * 2. The four positional rules (`gstinStateCode`, `gstinPan`, `gstinEntityNumber`, `gstinDefaultZ`)
 *    look at separate characters, so all that fail are reported together.
 * 3. `gstinCheckCharacter`, only when tier 2 passes: a wrong state code or PAN also breaks the
 *    checksum, and saying so would add a second error for the same typo.
 *
 * Only GSTINs of regular taxpayers are accepted (PAN-based, `Z` in position 14). The other kinds
 * (TDS deductors registered by TAN, UINs of embassies and UN bodies, non-resident OIDAR suppliers)
 * are not sellers.
 */
export function validateGstin(value: unknown): Violation[] {
  if (typeof value !== 'string' || value.length !== 15) {
    const got = typeof value === 'string' ? `${value.length} characters` : 'no text';
    return [
      {
        code: GstinRule.length,
        message: `GSTIN must be 15 characters (state code, PAN, entity number, Z, check character); got ${got}`,
      },
    ];
  }
  const violations: Violation[] = [];
  const stateCode = value.slice(0, 2);
  if (!/^[0-9]{2}$/.test(stateCode) || !isGstStateCode(stateCode)) {
    violations.push({ code: GstinRule.stateCode, message: 'GSTIN must start with a GST state code (01-38, 97 or 99)' });
  }
  const panProblems = validatePan(value.slice(2, 12));
  if (panProblems.length > 0) {
    violations.push({
      code: GstinRule.pan,
      message: `GSTIN characters 3-12 must be the holder's PAN: ${panProblems.map((p) => p.message).join('; ')}`,
    });
  }
  if (!/^[1-9A-Z]$/.test(value[12])) {
    // The count of registrations the PAN holds in the state: 1-9, then A-Z for the 10th to 35th.
    violations.push({ code: GstinRule.entityNumber, message: 'GSTIN character 13 (the entity number) must be 1-9 or A-Z; 0 is never issued' });
  }
  if (value[13] !== 'Z') {
    violations.push({ code: GstinRule.defaultZ, message: 'GSTIN character 14 must be Z' });
  }
  if (violations.length > 0) return violations;

  if (value[14] !== gstinCheckCharacter(value.slice(0, 14))) {
    violations.push({
      code: GstinRule.checkCharacter,
      message: `GSTIN ${maskIdentifier(value)} fails its check character (character 15): a character is mistyped`,
    });
  }
  return violations;
}

export function isGstin(value: unknown): value is string {
  return validateGstin(value).length === 0;
}

export interface ParsedGstin {
  /** GST state code, `'27'`. */
  readonly stateCode: string;
  readonly pan: string;
  /** Which registration of this PAN in this state: `'1'`–`'9'`, then `'A'`–`'Z'`. */
  readonly entityNumber: string;
  readonly checkCharacter: string;
}

/** The parts of a valid GSTIN; throws InvalidIdentifierError (codes only, no value) otherwise. */
export function parseGstin(gstin: string): ParsedGstin {
  const violations = validateGstin(gstin);
  if (violations.length > 0) throw new InvalidIdentifierError('GSTIN', violations);
  return {
    stateCode: gstin.slice(0, 2),
    pan: gstin.slice(2, 12),
    entityNumber: gstin[12],
    checkCharacter: gstin[14],
  };
}
