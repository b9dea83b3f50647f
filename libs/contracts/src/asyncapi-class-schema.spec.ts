import 'reflect-metadata';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { compareConstraints, expectedSchemaOf } from './asyncapi-class-schema';
import { validateValue } from './asyncapi-json-schema';
import { parsePayload } from './event-definition';

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

  describe('reports, never skips', () => {
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
