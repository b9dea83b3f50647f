import { randomInt } from 'node:crypto';
import { gstinCheckCharacter, udyamLettersOfGstState } from '@niryat/india';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letter = () => LETTERS[randomInt(LETTERS.length)];
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** A well-formed PAN for the holder type (C company, F firm, P individual, …), random and unique enough for tests. */
export function randomPan(holderType = 'C'): string {
  const serial = String(randomInt(1, 10_000)).padStart(4, '0');
  return `${letter()}${letter()}${letter()}${holderType}${letter()}${serial}${letter()}`;
}

/** The GSTIN of the PAN in the state, with its real check character. */
export function gstinFor(stateCode: string, pan: string, entity = '1'): string {
  const first14 = `${stateCode}${pan}${entity}Z`;
  return `${first14}${gstinCheckCharacter(first14)}`;
}

export function udyamFor(stateCode: string): string {
  return `UDYAM-${udyamLettersOfGstState(stateCode)}-${digits(2)}-${digits(7)}`;
}

export interface RegistrationFixtureOptions {
  stateCode?: string;
  district?: string;
  programmes?: string[];
  legalName?: string;
}

/**
 * A complete, valid seller registration (a private limited company) with fresh identifiers, so
 * each call registers a new seller; spread overrides on top to break one rule at a time.
 */
export function sellerRegistration({ stateCode = '09', district = 'Moradabad', programmes = ['flipkart-walmart-odop-up'], legalName }: RegistrationFixtureOptions = {}) {
  const pan = randomPan('C');
  return {
    legalName: legalName ?? `Test Exporter ${pan.slice(0, 5)} Private Limited`,
    tradeName: 'Test Crafts',
    constitution: 'private-limited',
    gstin: gstinFor(stateCode, pan),
    pan,
    udyamNumber: udyamFor(stateCode),
    iec: pan,
    stateCode,
    district,
    address: { line1: 'Plot 14, Industrial Area', city: district, pinCode: '244001' },
    contact: { email: `exports.${pan.toLowerCase()}@example.in`, mobile: `+919${digits(9)}` },
    bankAccount: { ifsc: 'SBIN0001234', accountNumber: digits(12) },
    products: [{ hsCode: '74198030', description: 'Brass handicraft articles' }],
    investmentInPlantAndMachinery: 18_000_000,
    annualTurnover: 120_000_000,
    exportTurnover: 45_000_000,
    programmes,
  };
}
