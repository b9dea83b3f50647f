import { isISO31661Alpha2 } from 'class-validator';
import { COUNTRIES, COUNTRY_CODES, countryName, isCountryCode } from './countries';

describe('ISO 3166-1 alpha-2 countries', () => {
  it('holds the 249 officially assigned codes, sorted, each with a name', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect([...COUNTRY_CODES].sort()).toEqual(COUNTRY_CODES);
    for (const code of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(COUNTRIES[code].length).toBeGreaterThan(2);
    }
  });

  it('agrees code for code with the list validator.js ships (class-validator isISO31661Alpha2)', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const theirs = [...letters].flatMap((a) => [...letters].map((b) => a + b)).filter((code) => isISO31661Alpha2(code));
    expect(theirs).toEqual(COUNTRY_CODES);
  });

  it.each([
    ['IN', 'India'],
    ['AE', 'United Arab Emirates'],
    ['US', 'United States'],
    ['GB', 'United Kingdom'],
    ['DE', 'Germany'],
    ['SG', 'Singapore'],
    ['SA', 'Saudi Arabia'],
    ['JP', 'Japan'],
    ['CW', 'Curaçao'],
    ['SS', 'South Sudan'],
    ['AQ', 'Antarctica'],
    ['BQ', 'Bonaire, Sint Eustatius and Saba'],
    ['TR', 'Türkiye'],
  ])('%s is %s', (code, name) => {
    expect(isCountryCode(code)).toBe(true);
    expect(countryName(code)).toBe(name);
  });

  it.each([
    ['exceptionally reserved for the United Kingdom: GB is the code', 'UK'],
    ['exceptionally reserved for the European Union', 'EU'],
    ['user-assigned, used for Kosovo but not ISO', 'XK'],
    ['transitionally reserved (Netherlands Antilles)', 'AN'],
    ['user-assigned', 'ZZ'],
    ['lower case', 'in'],
    ['alpha-3', 'IND'],
    ['numeric', '356'],
    ['an Object.prototype key', '__proto__'],
    ['empty', ''],
    ['null', null],
    ['a number', 91],
  ])('refuses %s (%p)', (_why, value) => {
    expect(isCountryCode(value)).toBe(false);
    expect(countryName(String(value))).toBeUndefined();
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(COUNTRIES)).toBe(true);
    expect(Object.isFrozen(COUNTRY_CODES)).toBe(true);
  });
});
