import { INDIA_RULE_CODES } from './rule-codes';

describe('INDIA_RULE_CODES', () => {
  it('are the documented codes, each camelCase and unique', () => {
    expect([...INDIA_RULE_CODES].sort()).toEqual(
      [
        'gstinLength',
        'gstinStateCode',
        'gstinPan',
        'gstinEntityNumber',
        'gstinDefaultZ',
        'gstinCheckCharacter',
        'panFormat',
        'panHolderType',
        'panSerial',
        'udyamFormat',
        'udyamStateCode',
        'iecFormat',
        'ifscFormat',
        'pinCodeFormat',
        'indianMobile',
        'itcHsCode',
        'gstStateCode',
        'gstinMatchesState',
        'gstinMatchesPan',
        'udyamMatchesState',
        'iecMatchesPan',
      ].sort(),
    );
    expect(INDIA_RULE_CODES.every((code) => /^[a-z]+(?:[A-Z][a-z]*)*$/.test(code))).toBe(true);
    expect(new Set(INDIA_RULE_CODES).size).toBe(INDIA_RULE_CODES.length);
  });
});
