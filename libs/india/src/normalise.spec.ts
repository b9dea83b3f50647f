import { normaliseIdentifier } from './normalise';
import { InvalidIdentifierError, maskIdentifier } from './violation';

describe('normaliseIdentifier', () => {
  it('trims and upper-cases', () => {
    expect(normaliseIdentifier('  27aapfu0939f1zv \n')).toBe('27AAPFU0939F1ZV');
    expect(normaliseIdentifier('\u00a0udyam-mh-19-0001234\t')).toBe('UDYAM-MH-19-0001234');
    expect(normaliseIdentifier('AbCdE1234f')).toBe('ABCDE1234F');
  });

  it('keeps inner spaces for the validator to refuse', () => {
    expect(normaliseIdentifier(' 27 AAPFU 0939F1ZV ')).toBe('27 AAPFU 0939F1ZV');
  });

  it('does not turn look-alike letters into ASCII', () => {
    // dotless i, long s and the ff ligature upper-case to I, S and FF with toUpperCase().
    expect(normaliseIdentifier('aaaı')).toBe('AAAı');
    expect(normaliseIdentifier('ſ')).toBe('ſ');
    expect(normaliseIdentifier('ﬀ')).toBe('ﬀ');
  });

  it('returns other types unchanged', () => {
    for (const value of [undefined, null, 42, true, ['ab'], { a: 'b' }]) expect(normaliseIdentifier(value)).toBe(value);
  });
});

describe('maskIdentifier', () => {
  it('shows only the last four characters', () => {
    expect(maskIdentifier('27AAPFU0939F1ZV')).toBe('***********F1ZV');
    expect(maskIdentifier('AAPFU0939F')).toBe('******939F');
    expect(maskIdentifier('12345')).toBe('*2345');
  });

  it('masks values of four characters or fewer entirely', () => {
    expect(maskIdentifier('ABCD')).toBe('****');
    expect(maskIdentifier('AB')).toBe('**');
    expect(maskIdentifier('')).toBe('');
  });
});

describe('InvalidIdentifierError', () => {
  it('names the rules, not the value', () => {
    const error = new InvalidIdentifierError('GSTIN', [{ code: 'gstinLength', message: 'm' }]);
    expect(error.message).toBe('not a valid GSTIN: gstinLength');
    expect(error.violations).toEqual([{ code: 'gstinLength', message: 'm' }]);
    expect(error).toBeInstanceOf(Error);
  });
});
