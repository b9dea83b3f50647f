import 'reflect-metadata';
import { IsItcHsCode, validateItcHsCode } from '@niryat/india';
import { COUNTRY_CODES, CURRENCY_CODES, IsCountryCode, IsCurrencyCode } from '@niryat/money';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { compareConstraints, expectedSchemaOf, ITC_HS_CODE_PATTERN } from './asyncapi-class-schema';
import { JsonObject } from './asyncapi-document';
import { validateValue } from './asyncapi-json-schema';
import { parsePayload, PayloadClass } from './event-definition';

/**
 * The class → JSON Schema mapping that asyncapi.spec.ts compares the document with. It must say
 * exactly what class-validator accepts, and refuse what it cannot say rather than guess.
 */

class Parent {
  @Matches(/^[a-z]+$/)
  id!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  count?: number;

  @IsOptional()
  @Matches('^\\d{4}-\\d{2}-\\d{2}$')
  day?: string;

  @IsOptional()
  @IsIn(['a', 'b'])
  letter?: string;
}

class Child extends Parent {}

class Overriding extends Parent {
  // Redeclared with other rules: class-validator drops the parent's rules of this property.
  @IsString()
  @MaxLength(5)
  override id!: string;
}

class Lists {
  @IsBoolean()
  flag!: boolean;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(3)
  @IsIn(['01', '09'], { each: true })
  codes!: string[];
}

class Line {
  @IsString()
  @Length(1, 8)
  sku!: string;

  @IsItcHsCode()
  hsCode!: string;
}

class Rate {
  @IsCurrencyCode()
  currency!: string;
}

/** Nested objects pinned to their shape by @IsObject: what JSON Schema can say exactly. */
class Order {
  @IsCountryCode()
  @IsNotIn(['IN'])
  destination!: string;

  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];

  @IsObject()
  @ValidateNested()
  @Type(() => Rate)
  rate!: Rate;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Rate)
  previousRate?: Rate;
}

/** The same without @IsObject: class-validator then accepts more than the classes say. */
class LooseOrder {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];

  @ValidateNested()
  @Type(() => Rate)
  rate!: Rate;
}

const LINE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { sku: { type: 'string', minLength: 1, maxLength: 8 }, hsCode: { type: 'string', pattern: ITC_HS_CODE_PATTERN } },
  required: ['sku', 'hsCode'],
};
const RATE_SCHEMA = { type: 'object', additionalProperties: false, properties: { currency: { type: 'string', enum: [...CURRENCY_CODES] } }, required: ['currency'] };

function schemaOf(payloadClass: PayloadClass<object>): JsonObject {
  const { properties, required } = expectedSchemaOf(payloadClass);
  return { type: 'object', additionalProperties: false, properties, required };
}

describe('expectedSchemaOf (class-validator → JSON Schema)', () => {
  it('maps IsInt with Min and Max, Matches with a RegExp or a string, IsIn, and IsOptional (absent or null)', () => {
    expect(expectedSchemaOf(Parent)).toEqual({
      properties: {
        id: { type: 'string', pattern: '^[a-z]+$' },
        count: { type: ['integer', 'null'], minimum: 1, maximum: 100 },
        day: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        letter: { type: ['string', 'null'], enum: ['a', 'b', null] },
      },
      required: ['id'],
      unmapped: [],
    });
  });

  it('gives a subclass the rules and optionality it inherits', () => {
    expect(expectedSchemaOf(Child)).toEqual({ ...expectedSchemaOf(Parent), unmapped: [] });
  });

  it("lets a subclass's redeclared property replace the parent's rules, as validateSync does", () => {
    const { properties, required } = expectedSchemaOf(Overriding);
    expect(properties['id']).toEqual({ type: 'string', maxLength: 5 });
    expect(required).toEqual(['id']);
    expect(parsePayload(Overriding, { id: 'ABC' }).ok).toBe(true);
  });

  it('maps IsBoolean, and rules with { each: true } to items', () => {
    expect(expectedSchemaOf(Lists).properties).toEqual({
      flag: { type: 'boolean' },
      codes: { type: 'array', uniqueItems: true, maxItems: 3, items: { type: 'string', enum: ['01', '09'] } },
    });
  });

  it.each([
    [{ id: 'abc' }],
    [{ id: 'abc', count: null, day: null, letter: null }],
    [{ id: 'abc', count: 100, day: '2025-12-31', letter: 'b' }],
    [{ id: 'ABC' }],
    [{ id: 'abc', count: 0 }],
    [{ id: 'abc', count: 1.5 }],
    [{ id: 'abc', count: '7' }],
    [{ id: 'abc', day: '31-12-2025' }],
    [{ id: 'abc', letter: 'c' }],
    [{ count: 3 }],
  ])('agrees with parsePayload on %j', (value) => {
    const { properties, required } = expectedSchemaOf(Parent);
    const schema = { type: 'object', properties, required };
    expect(validateValue(schema, value).length === 0).toBe(parsePayload(Parent, value).ok);
  });

  it("maps the platform's IsCountryCode, IsCurrencyCode and IsItcHsCode, IsNotIn, Length, and nested objects with IsObject", () => {
    expect(expectedSchemaOf(Order)).toEqual({
      properties: {
        destination: { type: 'string', enum: [...COUNTRY_CODES], not: { enum: ['IN'] } },
        lines: { type: 'array', minItems: 1, items: LINE_SCHEMA },
        rate: RATE_SCHEMA,
        previousRate: { ...RATE_SCHEMA, type: ['object', 'null'] },
      },
      required: ['destination', 'lines', 'rate'],
      unmapped: [],
    });
  });

  it('says of an ITC(HS) code exactly what validateItcHsCode says, for every chapter and shape', () => {
    const chapters = Array.from({ length: 100 }, (_, n) => `${String(n).padStart(2, '0')}123456`);
    const shapes = ['7419803', '741980301', '7419 8030', '７４１９８０３０', '', 74198030, null];
    const disagreements = [...chapters, ...shapes].filter(
      (code) => (validateValue({ type: 'string', pattern: ITC_HS_CODE_PATTERN }, code).length === 0) !== (validateItcHsCode(code).length === 0),
    );
    expect(disagreements).toEqual([]);
  });

  const OK_ORDER = { destination: 'US', lines: [{ sku: 'BOWL', hsCode: '74198030' }], rate: { currency: 'USD' } };
  it.each([
    [OK_ORDER],
    [{ ...OK_ORDER, previousRate: null }],
    [{ ...OK_ORDER, previousRate: { currency: 'EUR' } }],
    [{ ...OK_ORDER, destination: 'IN' }],
    [{ ...OK_ORDER, destination: 'UK' }],
    [{ ...OK_ORDER, lines: [] }],
    [{ ...OK_ORDER, lines: [[{ sku: 'BOWL', hsCode: '74198030' }]] }],
    [{ ...OK_ORDER, lines: [{ sku: 'BOWL', hsCode: '77198030' }] }],
    [{ ...OK_ORDER, lines: [{ sku: '', hsCode: '74198030' }] }],
    [{ ...OK_ORDER, lines: [{ sku: 'BOWL', hsCode: '74198030', colour: 'gold' }] }],
    [{ ...OK_ORDER, lines: [null] }],
    [{ ...OK_ORDER, rate: [{ currency: 'USD' }] }],
    [{ ...OK_ORDER, rate: { currency: 'usd' } }],
    [{ ...OK_ORDER, rate: { currency: 'USD', date: '2026-01-01' } }],
    [{ ...OK_ORDER, rate: null }],
    [{ destination: 'US', lines: OK_ORDER.lines }],
  ])('agrees with parsePayload on nested %j', (value) => {
    expect(validateValue(schemaOf(Order), value).length === 0).toBe(parsePayload(Order, value).ok);
  });

  describe('reports, never skips', () => {
    it('@ValidateNested without @IsObject, which also accepts arrays (and, for one object, no value)', () => {
      expect(expectedSchemaOf(LooseOrder).unmapped).toEqual([
        'LooseOrder.lines[]: @ValidateNested() also accepts elements that are arrays of Line (nested arrays are validated element by element), ' +
          'which the schema cannot say; add @IsObject({ each: true }) so that each element is one Line',
        'LooseOrder.rate: @ValidateNested() alone also accepts an array of Rate, and no value at all (it skips undefined); ' +
          'add @IsObject() so that the value is exactly one Rate',
      ]);
      // What the messages claim, as parsePayload sees it.
      const loose = { lines: [[{ sku: 'BOWL', hsCode: '74198030' }]], rate: [{ currency: 'USD' }] };
      expect(parsePayload(LooseOrder, loose).ok).toBe(true);
      expect(parsePayload(LooseOrder, { lines: [{ sku: 'BOWL', hsCode: '74198030' }] }).ok).toBe(true);
    });

    it('@ValidateNested without @Type', () => {
      class Untyped {
        @IsObject()
        @ValidateNested()
        rate!: Rate;
      }
      expect(expectedSchemaOf(Untyped).unmapped).toEqual([
        'Untyped.rate: @ValidateNested() without @Type(() => SomeClass) leaves a plain object, which parsePayload refuses; add @Type',
      ]);
    });

    it("a nested class's own problems, named by that class", () => {
      class WithBadLine {
        @IsObject()
        @ValidateNested()
        @Type(() => BadLine)
        line!: object;
      }
      class BadLine {
        @IsEmail()
        email!: string;
      }
      expect(expectedSchemaOf(WithBadLine).unmapped).toEqual([
        "BadLine.email: no JSON Schema mapping for class-validator rule 'isEmail'; add it to asyncapi-class-schema.ts",
      ]);
    });

    it('a decorator it has no mapping for', () => {
      class WithEmail {
        @IsEmail()
        email!: string;
      }
      expect(expectedSchemaOf(WithEmail).unmapped).toEqual([
        "WithEmail.email: no JSON Schema mapping for class-validator rule 'isEmail'; add it to asyncapi-class-schema.ts",
      ]);
    });

    it('a conditional rule other than IsOptional', () => {
      class Conditional {
        @ValidateIf(() => true)
        @IsString()
        name!: string;
      }
      expect(expectedSchemaOf(Conditional).unmapped).toEqual([
        "Conditional.name: no JSON Schema mapping for class-validator rule 'conditionalValidation'; add it to asyncapi-class-schema.ts",
      ]);
    });

    it('a pattern with flags, which a JSON Schema pattern cannot carry', () => {
      class CaseInsensitive {
        @Matches(/^[a-z]+$/i)
        a!: string;

        @Matches('^[a-z]+$', 'i')
        b!: string;
      }
      expect(expectedSchemaOf(CaseInsensitive).unmapped).toEqual([
        "CaseInsensitive.a: @matches: regular expression flags 'i' of /^[a-z]+$/i have no JSON Schema equivalent",
        "CaseInsensitive.b: @matches: pattern modifiers 'i' have no JSON Schema equivalent",
      ]);
    });

    it('rules that disagree on a type', () => {
      class Confused {
        @IsString()
        @IsInt()
        value!: string;
      }
      expect(expectedSchemaOf(Confused).unmapped).toEqual([`Confused.value: rules disagree on 'type' ("integer" vs "string")`]);
    });

    it('{ each: true } on a property that is not an array', () => {
      class EachOfWhat {
        @IsIn(['a'], { each: true })
        value!: string;
      }
      expect(expectedSchemaOf(EachOfWhat).unmapped).toEqual(["EachOfWhat.value: rules with { each: true } need @IsArray() to mean 'every element'"]);
    });
  });
});

describe('compareConstraints', () => {
  it('compares nested object schemas property by property, required as a set', () => {
    const documented = {
      ...LINE_SCHEMA,
      required: ['hsCode', 'sku'],
      properties: { sku: { type: 'string', minLength: 1, maxLength: 9, description: 'free' }, colour: { type: 'string' } },
    };
    expect(compareConstraints('x', LINE_SCHEMA, documented)).toEqual([
      'x.sku: the document says maxLength: 9, the code says 8',
      'x.hsCode: the document lacks this property, which the class validates',
      'x.colour: the document has a property that the class does not validate',
    ]);
    expect(compareConstraints('x', { not: { enum: ['IN'] } }, { not: { enum: ['IN', 'PK'] } })).toEqual([
      'x (not): the document says enum: ["IN","PK"], the code says ["IN"]',
    ]);
  });

  it('compares enum values and type lists as sets', () => {
    expect(compareConstraints('x', { type: ['string', 'null'], enum: ['a', null] }, { type: ['null', 'string'], enum: [null, 'a'] })).toEqual([]);
  });

  it('names a constraint the document lacks and one it invents', () => {
    expect(compareConstraints('x', { type: 'integer', minimum: 1 }, { type: 'integer', maximum: 9, description: 'free' })).toEqual([
      'x: the document lacks minimum: 1 that the class-validator rules enforce',
      'x: the document says maximum: 9 but the class-validator rules have no such constraint',
    ]);
  });
});
