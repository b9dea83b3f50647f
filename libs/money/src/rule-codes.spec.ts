import { MONEY_RULE_CODES } from './rule-codes';

describe('MONEY_RULE_CODES', () => {
  it('lists every code once, as clients see them', () => {
    expect(MONEY_RULE_CODES).toEqual(['decimalFormat', 'decimalExponent', 'decimalScale', 'decimalNegative', 'decimalZero', 'currencyCode', 'countryCode', 'minorUnits', 'rate', 'isoDate']);
    expect(new Set(MONEY_RULE_CODES).size).toBe(MONEY_RULE_CODES.length);
  });
});
