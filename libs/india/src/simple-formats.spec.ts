import { IecRule, isIec, validateIec } from './iec';
import { IfscRule, isIfsc, validateIfsc } from './ifsc';
import { IndianMobileRule, isIndianMobile, normaliseIndianMobile, validateIndianMobile } from './indian-mobile';
import { hsChapterOf, isItcHsCode, ItcHsRule, validateItcHsCode } from './itc-hs';
import { normaliseIdentifier } from './normalise';
import { isPinCode, PinCodeRule, validatePinCode } from './pin-code';

/** IEC, IFSC, PIN code, mobile and ITC(HS): one rule each. */

describe('validateIec', () => {
  it('accepts a PAN', () => {
    expect(validateIec('AAPFU0939F')).toEqual([]);
    expect(isIec('AAACR5055K')).toBe(true);
  });

  it.each([
    ['an old 10-digit numeric IEC', '0388012345'],
    ['a malformed PAN', 'AAP1U0939F'],
    ['an unknown holder type', 'AAPXU0939F'],
    ['serial 0000', 'AAPFU0000F'],
    ['a GSTIN', '27AAPFU0939F1ZV'],
    ['lower case', 'aapfu0939f'],
    ['not text', 388012345],
    ['undefined', undefined],
  ])('refuses %s with iecFormat', (_why, value) => {
    expect(validateIec(value).map((v) => v.code)).toEqual([IecRule.format]);
  });

  it('says the IEC is the PAN since 2017, without printing the value', () => {
    const [violation] = validateIec('AAPXU0939F');
    expect(violation.message).toContain('since 2017 the IEC is the PAN');
    expect(violation.message).not.toContain('AAPXU0939F');
  });

  it('accepts lower case once normalised', () => {
    expect(validateIec(normaliseIdentifier(' aapfu0939f '))).toEqual([]);
  });
});

describe('validateIfsc', () => {
  it.each(['SBIN0001234', 'HDFC0000001', 'ICIC0ABC123', 'UTIB0SIMS01'])('accepts %s', (value) => {
    expect(validateIfsc(value)).toEqual([]);
    expect(isIfsc(value)).toBe(true);
  });

  it.each([
    ['fifth character not 0', 'SBIN1001234'],
    ['digit in the bank code', 'SB1N0001234'],
    ['10 characters', 'SBIN000123'],
    ['12 characters', 'SBIN00012345'],
    ['symbol in the branch', 'SBIN000123-'],
    ['lower case', 'sbin0001234'],
    ['not text', 1234],
    ['null', null],
  ])('refuses %s with ifscFormat', (_why, value) => {
    expect(validateIfsc(value).map((v) => v.code)).toEqual([IfscRule.format]);
  });

  it('accepts lower case once normalised', () => {
    expect(validateIfsc(normaliseIdentifier(' sbin0001234 '))).toEqual([]);
  });
});

describe('validatePinCode', () => {
  it.each(['244001', '110001', '560001', '999999', '100000'])('accepts %s', (value) => {
    expect(validatePinCode(value)).toEqual([]);
    expect(isPinCode(value)).toBe(true);
  });

  it.each([
    ['starting with 0', '044001'],
    ['five digits', '24400'],
    ['seven digits', '2440011'],
    ['with a space', '244 001'],
    ['with a letter', '24400A'],
    ['a number', 244001],
    ['undefined', undefined],
  ])('refuses %s with pinCodeFormat', (_why, value) => {
    expect(validatePinCode(value).map((v) => v.code)).toEqual([PinCodeRule.format]);
  });
});

describe('Indian mobile numbers', () => {
  it.each([
    ['+919876543210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91-98765-43210', '+919876543210'],
    ['  +91 987 654 3210 ', '+919876543210'],
    ['+916000000000', '+916000000000'],
    ['+917000000000', '+917000000000'],
    ['+918123456789', '+918123456789'],
  ])('accepts %j and normalises it to %s', (value, normalised) => {
    expect(validateIndianMobile(value)).toEqual([]);
    expect(isIndianMobile(value)).toBe(true);
    expect(normaliseIndianMobile(value)).toBe(normalised);
  });

  it.each([
    ['no country code', '9876543210'],
    ['0 trunk prefix', '09876543210'],
    ['91 without +', '919876543210'],
    ['+91 0 trunk prefix', '+9109876543210'],
    ['starting with 5', '+915876543210'],
    ['starting with 1', '+911234567890'],
    ['nine digits', '+91987654321'],
    ['eleven digits', '+9198765432100'],
    ['another country', '+449876543210'],
    ['brackets', '+91 (98765) 43210'],
    ['letters', '+91987654321O'],
    ['a number', 919876543210],
    ['null', null],
  ])('refuses %s with indianMobile', (_why, value) => {
    expect(validateIndianMobile(value).map((v) => v.code)).toEqual([IndianMobileRule.format]);
  });

  it('leaves other types alone when normalising', () => {
    expect(normaliseIndianMobile(9876543210)).toBe(9876543210);
    expect(normaliseIndianMobile(undefined)).toBeUndefined();
  });
});

describe('ITC(HS) codes', () => {
  it.each([
    ['01012100', '01'],
    ['09041110', '09'],
    ['74199930', '74'],
    ['76', undefined],
    ['98010011', '98'],
    ['97011000', '97'],
  ])('%s is in chapter %s', (code, chapter) => {
    expect(hsChapterOf(code)).toBe(chapter);
  });

  it.each(['01012100', '74199930', '98010011', '78060010', '76169990'])('accepts %s', (code) => {
    expect(validateItcHsCode(code)).toEqual([]);
    expect(isItcHsCode(code)).toBe(true);
  });

  it.each([
    ['chapter 77 (reserved)', '77010000'],
    ['chapter 00', '00123456'],
    ['chapter 99 (services)', '99831100'],
    ['six digits (an HS subheading)', '741999'],
    ['nine digits', '741999301'],
    ['with dots', '7419.99.30'],
    ['with a space', '7419 9930'],
    ['a number', 74199930],
    ['null', null],
  ])('refuses %s with itcHsCode', (_why, value) => {
    expect(validateItcHsCode(value).map((v) => v.code)).toEqual([ItcHsRule.code]);
  });

  it('names the chapter that is not allowed', () => {
    expect(validateItcHsCode('77010000')[0].message).toContain('77');
  });
});
