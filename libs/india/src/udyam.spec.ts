import { normaliseIdentifier } from './normalise';
import { UDYAM_STATE_LETTERS } from './states';
import { isUdyamNumber, udyamStateOf, UdyamRule, validateUdyamNumber } from './udyam';

const codes = (value: unknown) => validateUdyamNumber(value).map((v) => v.code);

describe('validateUdyamNumber', () => {
  it.each(['UDYAM-UP-47-0012345', 'UDYAM-MH-19-0001234', 'UDYAM-KR-03-0093853', 'UDYAM-TS-20-0013532', 'UDYAM-DD-01-0002992', 'UDYAM-UP-00-0123456'])(
    'accepts %s',
    (value) => {
      expect(validateUdyamNumber(value)).toEqual([]);
      expect(isUdyamNumber(value)).toBe(true);
    },
  );

  it('accepts the letters of every state Udyam uses', () => {
    for (const letters of Object.values(UDYAM_STATE_LETTERS)) expect(codes(`UDYAM-${letters}-01-0000001`)).toEqual([]);
  });

  it.each([
    ['lower case', 'udyam-up-47-0012345'],
    ['no hyphens', 'UDYAMUP470012345'],
    ['spaces for hyphens', 'UDYAM UP 47 0012345'],
    ['one-digit district', 'UDYAM-UP-4-0012345'],
    ['six-digit serial', 'UDYAM-UP-47-001234'],
    ['eight-digit serial', 'UDYAM-UP-47-00123456'],
    ['digits as state', 'UDYAM-09-47-0012345'],
    ['three state letters', 'UDYAM-UPP-47-0012345'],
    ['old Udyog Aadhaar number', 'UP47A0012345'],
    ['other prefix', 'UDYOG-UP-47-0012345'],
    ['trailing text', 'UDYAM-UP-47-0012345 '],
    ['empty', ''],
    ['a number', 12345],
    ['null', null],
  ])('refuses the shape (%s) with udyamFormat only', (_why, value) => {
    expect(codes(value)).toEqual([UdyamRule.format]);
  });

  it.each(['XX', 'KA', 'CT', 'UT', 'TG', 'OR', 'DN'])('refuses unknown state letters %s with udyamStateCode only', (letters) => {
    expect(codes(`UDYAM-${letters}-01-0012345`)).toEqual([UdyamRule.stateCode]);
  });

  it('accepts lower case and padding once normalised', () => {
    expect(codes(normaliseIdentifier('  udyam-up-47-0012345 '))).toEqual([]);
  });
});

describe('udyamStateOf', () => {
  it('gives the GST state code of a valid number', () => {
    expect(udyamStateOf('UDYAM-UP-47-0012345')).toBe('09');
    expect(udyamStateOf('UDYAM-MH-19-0001234')).toBe('27');
    expect(udyamStateOf('UDYAM-DL-01-0029381')).toBe('07');
    expect(udyamStateOf('UDYAM-KR-03-0093853')).toBe('29');
  });

  it('is undefined for an invalid number', () => {
    expect(udyamStateOf('UDYAM-XX-01-0012345')).toBeUndefined();
    expect(udyamStateOf('udyam-up-47-0012345')).toBeUndefined();
  });
});
