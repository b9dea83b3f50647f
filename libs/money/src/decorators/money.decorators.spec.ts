import 'reflect-metadata';
import { ValidationError, validateSync } from 'class-validator';
import { IsCountryCode, IsCurrencyCode, IsIsoDate, IsMinorUnits, IsRate, MoneyRule } from './money.decorators';

class ExportLineDto {
  @IsCurrencyCode()
  currency!: unknown;

  @IsCountryCode()
  destinationCountry!: unknown;

  @IsMinorUnits({ nonNegative: true })
  unitPriceMinor!: unknown;

  @IsMinorUnits()
  adjustmentMinor!: unknown;

  @IsCurrencyCode({ each: true })
  acceptedCurrencies!: unknown;
}

function flatten(errors: ValidationError[]): { field: string; code: string; message: string }[] {
  return errors.flatMap((error) => Object.entries(error.constraints ?? {}).map(([code, message]) => ({ field: error.property, code, message })));
}

const valid = { currency: 'USD', destinationCountry: 'AE', unitPriceMinor: 123456, adjustmentMinor: -500, acceptedCurrencies: ['USD', 'INR'] };

function check(plain: Record<string, unknown>) {
  return flatten(validateSync(Object.assign(new ExportLineDto(), plain)));
}

describe('money decorators on a DTO', () => {
  it('accept a valid line', () => {
    expect(check(valid)).toEqual([]);
    expect(check({ ...valid, unitPriceMinor: 0, adjustmentMinor: Number.MAX_SAFE_INTEGER, currency: 'JPY', destinationCountry: 'GB' })).toEqual([]);
    expect(check({ ...valid, adjustmentMinor: -Number.MAX_SAFE_INTEGER })).toEqual([]);
  });

  it('report each failing field under its own code, naming the field', () => {
    expect(check({ ...valid, currency: 'usd', destinationCountry: 'UK', unitPriceMinor: -1, adjustmentMinor: 1.5 })).toEqual([
      { field: 'currency', code: MoneyRule.currencyCode, message: 'currency must be an active ISO 4217 currency code in capitals, like USD, EUR or INR' },
      { field: 'destinationCountry', code: MoneyRule.countryCode, message: 'destinationCountry must be an ISO 3166-1 alpha-2 country code in capitals, like AE, GB or US' },
      { field: 'unitPriceMinor', code: MoneyRule.minorUnits, message: expect.stringMatching(/^unitPriceMinor must be a whole number of minor units .*, and not negative$/) },
      { field: 'adjustmentMinor', code: MoneyRule.minorUnits, message: expect.not.stringContaining('not negative') },
    ]);
  });

  it.each([
    ['a fraction', 12.5],
    ['a numeric string', '100'],
    ['a bigint', 100n],
    ['past 2^53', 2 ** 53],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['null', null],
  ])('refuse %s as minor units', (_why, amount) => {
    expect(check({ ...valid, adjustmentMinor: amount }).map((e) => e.code)).toEqual([MoneyRule.minorUnits]);
  });

  it.each([['BGN'], ['XAU'], [''], [840], [null]])('refuse currency %p', (currency) => {
    expect(check({ ...valid, currency }).map((e) => e.code)).toEqual([MoneyRule.currencyCode]);
  });

  it.each([['XK'], ['EU'], ['IND'], ['in'], [null]])('refuse country %p', (destinationCountry) => {
    expect(check({ ...valid, destinationCountry }).map((e) => e.code)).toEqual([MoneyRule.countryCode]);
  });

  it('check each item with { each: true }', () => {
    expect(check({ ...valid, acceptedCurrencies: ['USD', 'usd'] }).map((e) => `${e.field}:${e.code}`)).toEqual(['acceptedCurrencies:currencyCode']);
  });
});

class FxRateLikeDto {
  @IsRate()
  inrPerUnit!: unknown;

  @IsIsoDate()
  effectiveFrom!: unknown;
}

describe('rate and date decorators', () => {
  const checkRate = (plain: Record<string, unknown>) => flatten(validateSync(Object.assign(new FxRateLikeDto(), { inrPerUnit: '88.4512', effectiveFrom: '2026-02-28', ...plain })));

  it('accept a positive exact rate on a day that exists', () => {
    expect(checkRate({})).toEqual([]);
    expect(checkRate({ inrPerUnit: '0.000000000001', effectiveFrom: '2028-02-29' })).toEqual([]);
    expect(checkRate({ inrPerUnit: '999999999.999999999999' })).toEqual([]);
  });

  it.each([['0'], ['0.0000'], ['-83.1'], ['8.4e1'], ['1.0000000000001'], [83.1], [''], ['1000000000'], ['0012345678901.5']])('refuse rate %p, saying why', (inrPerUnit) => {
    const errors = checkRate({ inrPerUnit });
    expect(errors.map((e) => e.code)).toEqual([MoneyRule.rate]);
    expect(errors[0].message).toMatch(/^inrPerUnit: /);
  });

  it.each([['2026-02-30'], ['2027-02-29'], ['2026-13-01'], ['26-01-01'], ['2026-1-1'], [20260101]])('refuse date %p', (effectiveFrom) => {
    expect(checkRate({ effectiveFrom }).map((e) => e.code)).toEqual([MoneyRule.isoDate]);
  });
});
