import 'reflect-metadata';
import { IsInt, IsString, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

const failed = (object: object) =>
  validateSync(object)
    .map((e) => `${e.property}:${Object.keys(e.constraints ?? {}).join(',')}`)
    .sort();

describe('cached class-validator rule lookup', () => {
  it('validates as before, and sees rules registered after the first validation', () => {
    cacheValidationMetadata();
    cacheValidationMetadata(); // idempotent

    class Base {
      @IsInt()
      count: unknown = 'x';
    }
    expect(failed(new Base())).toEqual(['count:isInt']);
    expect(failed(new Base())).toEqual(['count:isInt']);
    expect(failed(Object.assign(new Base(), { count: 3 }))).toEqual([]);

    // A subclass defined later (its decorators register new rules) inherits and adds.
    class Derived extends Base {
      @IsString()
      name: unknown = 5;
    }
    expect(failed(new Derived())).toEqual(['count:isInt', 'name:isString']);
    expect(failed(new Base())).toEqual(['count:isInt']);
  });
});
