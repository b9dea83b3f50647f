import { normaliseIdentifier } from './normalise';
import { isPan, PAN_HOLDER_TYPES, panHolderTypeOf, PanRule, validatePan } from './pan';

const codes = (value: unknown) => validatePan(value).map((v) => v.code);

describe('validatePan', () => {
  it.each(['AAPFU0939F', 'AAACR5055K', 'AAACT2727Q', 'ABCPE0001Z', 'ZZZGZ9999A'])('accepts %s', (pan) => {
    expect(validatePan(pan)).toEqual([]);
    expect(isPan(pan)).toBe(true);
  });

  it('accepts every holder type', () => {
    for (const holder of ['P', 'C', 'H', 'F', 'A', 'T', 'B', 'L', 'J', 'G']) expect(codes(`ABC${holder}E1234F`)).toEqual([]);
    expect(Object.keys(PAN_HOLDER_TYPES).sort()).toEqual(['A', 'B', 'C', 'F', 'G', 'H', 'J', 'L', 'P', 'T']);
  });

  it.each([
    ['too short', 'AAPFU0939'],
    ['too long', 'AAPFU0939FF'],
    ['digit among the letters', 'AAP1U0939F'],
    ['letter among the digits', 'AAPFU09A9F'],
    ['digit as last character', 'AAPFU09391'],
    ['lower case', 'aapfu0939f'],
    ['inner space', 'AAPFU 0939F'],
    ['surrounding space', ' AAPFU0939F'],
    ['empty', ''],
    ['a number', 1234567890],
    ['null', null],
    ['undefined', undefined],
  ])('refuses the shape (%s) with panFormat only', (_why, value) => {
    expect(codes(value)).toEqual([PanRule.format]);
  });

  it.each(['E', 'K', 'D', 'X', 'Z'])('refuses holder type %s with panHolderType only', (holder) => {
    expect(codes(`ABC${holder}E1234F`)).toEqual([PanRule.holderType]);
  });

  it('refuses serial 0000 with panSerial only', () => {
    expect(codes('ABCPE0000F')).toEqual([PanRule.serial]);
    expect(codes('ABCPE0001F')).toEqual([]);
  });

  it('reports holder type and serial together once the shape holds', () => {
    expect(codes('ABCXE0000F')).toEqual([PanRule.holderType, PanRule.serial]);
  });

  it('does not print the PAN in messages', () => {
    for (const value of ['ABCXE0000F', 'AAPFU09A9F']) {
      for (const { message } of validatePan(value)) expect(message).not.toContain(value);
    }
  });

  it('accepts lower case and padding once normalised', () => {
    expect(codes(normaliseIdentifier('  aapfu0939f  '))).toEqual([]);
  });
});

describe('panHolderTypeOf', () => {
  it('names the holder of a valid PAN only', () => {
    expect(panHolderTypeOf('AAPFU0939F')).toBe('Firm or limited liability partnership');
    expect(panHolderTypeOf('ABCPE1234F')).toBe('Individual');
    expect(panHolderTypeOf('ABCXE1234F')).toBeUndefined();
    expect(panHolderTypeOf('ABCPE0000F')).toBeUndefined();
  });
});
