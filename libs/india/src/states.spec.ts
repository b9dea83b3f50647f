import {
  describeGstState,
  GST_STATE_CODES,
  gstStateOfUdyamLetters,
  INDIAN_STATES,
  isGstStateCode,
  UDYAM_STATE_LETTER_CODES,
  UDYAM_STATE_LETTERS,
  udyamLettersOfGstState,
} from './states';

describe('GST state codes', () => {
  it('are 01-38, 97 and 99, in code order', () => {
    const expected = [...Array.from({ length: 38 }, (_, i) => String(i + 1).padStart(2, '0')), '97', '99'];
    expect(GST_STATE_CODES).toEqual(expected);
  });

  it('recognises codes as text only, and nothing inherited from Object', () => {
    expect(isGstStateCode('09')).toBe(true);
    expect(isGstStateCode('99')).toBe(true);
    for (const value of ['9', '009', '00', '39', '96', '98', 9, null, undefined, 'constructor', '__proto__', 'toString']) {
      expect(isGstStateCode(value)).toBe(false);
    }
  });

  it('names states for messages', () => {
    expect(describeGstState('27')).toBe('27 (Maharashtra)');
    expect(describeGstState('40')).toBe('40');
  });

  it('are frozen', () => {
    expect(Object.isFrozen(INDIAN_STATES)).toBe(true);
    expect(Object.isFrozen(GST_STATE_CODES)).toBe(true);
    expect(Object.isFrozen(UDYAM_STATE_LETTERS)).toBe(true);
  });
});

describe('Udyam state letters', () => {
  it.each([
    ['09', 'UP', 'Uttar Pradesh'],
    ['27', 'MH', 'Maharashtra'],
    ['07', 'DL', 'Delhi'],
    ['29', 'KR', 'Karnataka'],
    ['22', 'CG', 'Chhattisgarh'],
    ['05', 'UK', 'Uttarakhand'],
    ['36', 'TS', 'Telangana'],
    ['21', 'OD', 'Odisha'],
    ['26', 'DD', 'Dadra and Nagar Haveli and Daman and Diu'],
    ['37', 'AP', 'Andhra Pradesh'],
    ['04', 'CH', 'Chandigarh'],
    ['34', 'PY', 'Puducherry'],
    ['38', 'LA', 'Ladakh'],
  ])('%s (%s) is %s both ways', (code, letters, name) => {
    expect(INDIAN_STATES[code]).toBe(name);
    expect(udyamLettersOfGstState(code)).toBe(letters);
    expect(gstStateOfUdyamLetters(letters)).toBe(code);
  });

  it('are not the GST portal or ISO codes where those differ', () => {
    for (const letters of ['KA', 'CT', 'UT', 'TG', 'OR', 'DN', 'DH']) {
      expect(gstStateOfUdyamLetters(letters)).toBeUndefined();
    }
  });

  it('exist for every state and union territory except the retired codes 25, 28 and the tax-only 97, 99', () => {
    const without = GST_STATE_CODES.filter((code) => udyamLettersOfGstState(code) === undefined);
    expect(without).toEqual(['25', '28', '97', '99']);
    expect(Object.keys(UDYAM_STATE_LETTERS).every(isGstStateCode)).toBe(true);
  });

  it('are two upper-case letters, one pair per state', () => {
    const pairs = Object.values(UDYAM_STATE_LETTERS);
    expect(pairs.every((pair) => /^[A-Z]{2}$/.test(pair))).toBe(true);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(UDYAM_STATE_LETTER_CODES).toEqual([...pairs].sort());
  });

  it('return undefined for anything unknown, including inherited names', () => {
    for (const value of ['XX', 'up', '', '__proto__', 'constructor']) expect(gstStateOfUdyamLetters(value)).toBeUndefined();
    for (const value of ['25', '28', '97', '99', '40', '__proto__']) expect(udyamLettersOfGstState(value)).toBeUndefined();
  });
});
