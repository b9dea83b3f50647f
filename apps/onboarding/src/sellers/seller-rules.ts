import { ValidateBy, ValidationOptions } from 'class-validator';

/** Legal forms of a business, as the registration form offers them. */
export const CONSTITUTIONS = [
  'proprietorship',
  'partnership',
  'llp',
  'private-limited',
  'public-limited',
  'one-person-company',
  'huf',
  'cooperative',
  'trust',
  'society',
] as const;
export type Constitution = (typeof CONSTITUTIONS)[number];

/**
 * The PAN's fourth character says what kind of holder it belongs to; for these constitutions there
 * is exactly one right answer (a company's PAN is a C PAN, a firm's or LLP's an F PAN, …). The others
 * (cooperatives, societies) are registered under more than one holder type, so they are not checked.
 */
const PAN_HOLDER_FOR: Partial<Record<Constitution, string>> = {
  proprietorship: 'P',
  partnership: 'F',
  llp: 'F',
  'private-limited': 'C',
  'public-limited': 'C',
  'one-person-company': 'C',
  huf: 'H',
  trust: 'T',
};

export function PanMatchesConstitution(constitutionField: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'panMatchesConstitution',
      validator: {
        validate: (pan, args) => {
          const constitution = (args?.object as Record<string, unknown>)[constitutionField] as Constitution;
          const expected = PAN_HOLDER_FOR[constitution];
          return typeof pan !== 'string' || pan.length !== 10 || !expected || pan[3] === expected;
        },
        defaultMessage: (args) => {
          const constitution = (args?.object as Record<string, unknown>)[constitutionField] as Constitution;
          return `constitution ${constitution} needs a PAN whose fourth character is ${PAN_HOLDER_FOR[constitution]}`;
        },
      },
    },
    options,
  );
}

export function ExportTurnoverWithinTurnover(turnoverField: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'exportTurnoverWithinTurnover',
      validator: {
        validate: (exportTurnover, args) => {
          const turnover = (args?.object as Record<string, unknown>)[turnoverField];
          return typeof exportTurnover !== 'number' || typeof turnover !== 'number' || exportTurnover <= turnover;
        },
        defaultMessage: () => `exportTurnover cannot exceed ${turnoverField}: annual turnover includes exports`,
      },
    },
    options,
  );
}
