import { COUNTRY_CODES, CURRENCY_CODES } from '@niryat/money';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { ANNOTATION_KEYWORDS } from './asyncapi-json-schema';
import { isObject, Json, JsonObject } from './asyncapi-document';
import { PayloadClass } from './event-definition';

/**
 * Test support: what the JSON Schema of a payload class must say, derived from its class-validator
 * decorators, so the AsyncAPI document can be compared with the code both ways (a rule the
 * document misses, and a constraint the document invents).
 */

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

export interface ExpectedSchema {
  /**
   * Constraint keywords per property (`items` holds the per-element rules of `each: true`). An
   * `@IsOptional()` property also admits `null`: class-validator skips every rule of a property
   * whose value is null or undefined, so `type` (and `enum`) say `null` too. A `@ValidateNested()`
   * property (or element) is the nested class's own closed object schema: `type: object`,
   * `additionalProperties: false` (parsePayload forbids unknown fields at every depth), its
   * `properties` and `required`.
   */
  properties: Record<string, JsonObject>;
  /** Properties without `@IsOptional()`. */
  required: string[];
  /** Decorators this mapping does not know or cannot say in JSON Schema: a problem to report, not to skip. */
  unmapped: string[];
}

/** A rule whose options JSON Schema cannot express; reported as unmapped, never approximated. */
class Inexpressible extends Error {}

/** The pattern of `@Matches(...)`: a RegExp or a string, without flags (a JSON Schema pattern has none). */
function patternOf(pattern: unknown, modifiers: unknown): string {
  if (modifiers !== undefined && modifiers !== '') throw new Inexpressible(`pattern modifiers '${String(modifiers)}' have no JSON Schema equivalent`);
  if (pattern instanceof RegExp) {
    if (pattern.flags !== '') throw new Inexpressible(`regular expression flags '${pattern.flags}' of ${String(pattern)} have no JSON Schema equivalent`);
    return pattern.source;
  }
  if (typeof pattern === 'string') return pattern;
  throw new Inexpressible(`pattern ${String(pattern)} is neither a RegExp nor a string`);
}

/**
 * `validateItcHsCode` (@niryat/india) as a pattern: 8 ASCII digits whose chapter (the first two) is
 * 01-98 but not 77. asyncapi-class-schema.spec.ts holds the two to the same answer for every chapter.
 */
export const ITC_HS_CODE_PATTERN = '^(0[1-9]|[1-6][0-9]|7[0-68-9]|8[0-9]|9[0-8])[0-9]{6}$';

/** The allowed values of `@IsIn` / `@IsNotIn`, which JSON Schema can list only when they are JSON values. */
function listOf(values: unknown, rule: string): Json[] {
  if (!Array.isArray(values)) throw new Inexpressible(`${rule} values ${String(values)} are not an array`);
  return values as Json[];
}

/**
 * The JSON Schema keywords each rule stands for, by the rule's name: class-validator's own, and the
 * constraint codes of the platform's decorators (`@IsCountryCode`, `@IsCurrencyCode` of
 * @niryat/money, `@IsItcHsCode` of @niryat/india), each exactly the set of values its check accepts.
 */
const RULES: Record<string, (constraints: unknown[]) => JsonObject> = {
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  // The array and length rules, like min and max below, refuse values of any other type.
  arrayUnique: () => ({ type: 'array', uniqueItems: true }),
  arrayMinSize: ([n]) => ({ type: 'array', minItems: n as number }),
  arrayMaxSize: ([n]) => ({ type: 'array', maxItems: n as number }),
  minLength: ([n]) => ({ type: 'string', minLength: n as number }),
  maxLength: ([n]) => ({ type: 'string', maxLength: n as number }),
  isNotEmpty: () => ({ minLength: 1 }),
  min: ([n]) => ({ type: 'number', minimum: n as number }),
  max: ([n]) => ({ type: 'number', maximum: n as number }),
  matches: ([pattern, modifiers]) => ({ type: 'string', pattern: patternOf(pattern, modifiers) }),
  // Length(min, max) counts like MinLength/MaxLength, and refuses what is not a string.
  isLength: ([min, max]) => ({ type: 'string', minLength: min as number, ...(max === undefined ? {} : { maxLength: max as number }) }),
  isIn: ([values]): JsonObject => {
    const options = listOf(values, 'allowed');
    return options.every((v) => typeof v === 'string') ? { type: 'string', enum: options } : { enum: options };
  },
  // Any value but these, of any type; the property's other rules say which type.
  isNotIn: ([values]) => ({ not: { enum: listOf(values, 'refused') } }),
  // A JSON object: not null and not an array.
  isObject: () => ({ type: 'object' }),
  countryCode: () => ({ type: 'string', enum: [...COUNTRY_CODES] }),
  currencyCode: () => ({ type: 'string', enum: [...CURRENCY_CODES] }),
  itcHsCode: () => ({ type: 'string', pattern: ITC_HS_CODE_PATTERN }),
  // A day that exists, in 1950-2099 (IsCalendarDay): JSON Schema's full-date, with the years the description gives.
  calendarDay: () => ({ type: 'string', format: 'date' }),
  // From 2000 to a day ahead of the server's clock (IsRecentDay, IsRecentTime): a bound that moves,
  // which JSON Schema cannot hold; the description says it.
  recentDay: () => ({ type: 'string', format: 'date' }),
  recentTime: () => ({ type: 'string', format: 'date-time' }),
};

/** `integer` is a `number`: @IsInt() with @Min() is one integer type, not a disagreement. */
function mergedType(current: Json, added: Json): Json | undefined {
  if (current === added) return current;
  const pair = [current, added].sort().join(',');
  return pair === 'integer,number' ? 'integer' : undefined;
}

function merge(target: JsonObject, fragment: JsonObject, where: string, unmapped: string[]): void {
  for (const [keyword, value] of Object.entries(fragment)) {
    if (keyword in target) {
      const same = keyword === 'type' ? mergedType(target[keyword], value) : JSON.stringify(target[keyword]) === JSON.stringify(value) ? value : undefined;
      if (same === undefined) {
        unmapped.push(`${where}: rules disagree on '${keyword}' (${JSON.stringify(target[keyword])} vs ${JSON.stringify(value)})`);
      } else {
        target[keyword] = same;
      }
      continue;
    }
    target[keyword] = value;
  }
}

/** An optional property's value may also be null (class-validator then skips its rules). */
function admitNull(schema: JsonObject): void {
  if (typeof schema['type'] === 'string') schema['type'] = [schema['type'], 'null'];
  if (Array.isArray(schema['enum'])) schema['enum'] = [...schema['enum'], null];
}

/**
 * Every validation rule class-validator applies to instances of the class, the inherited ones
 * included (the same lookup `validateSync` makes, so a subclass's overrides win here as they do there).
 */
export function validationMetadataOf(payloadClass: PayloadClass<object>): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(payloadClass, '', true, false);
}

export function expectedSchemaOf(payloadClass: PayloadClass<object>): ExpectedSchema {
  return schemaOfClass(payloadClass, []);
}

/** The class `@Type(() => ...)` makes of the property's value, as parsePayload's plainToInstance does; undefined without one. */
function nestedClassOf(owner: PayloadClass<object>, property: string): PayloadClass<object> | undefined {
  const probe: unknown = (plainToInstance(owner, { [property]: {} }) as Record<string, unknown>)[property];
  const made = isObject(probe as Json) ? (probe as object).constructor : undefined;
  return typeof made === 'function' && made !== Object ? (made as PayloadClass<object>) : undefined;
}

/** The closed object schema of a nested class, its own problems added to `unmapped`. */
function objectSchemaOf(nested: PayloadClass<object>, where: string, stack: readonly PayloadClass<object>[], unmapped: string[]): JsonObject {
  if (stack.includes(nested)) {
    unmapped.push(`${where}: ${nested.name} contains itself; a recursive schema is not supported by asyncapi-class-schema.ts`);
    return { type: 'object' };
  }
  const inner = schemaOfClass(nested, stack);
  unmapped.push(...inner.unmapped);
  if (Object.keys(inner.properties).length === 0) {
    unmapped.push(`${where}: ${nested.name} has no validation rules, so parsePayload (forbidUnknownValues) refuses every value of it`);
  }
  return { type: 'object', additionalProperties: false, properties: inner.properties, required: inner.required };
}

function schemaOfClass(payloadClass: PayloadClass<object>, outer: readonly PayloadClass<object>[]): ExpectedSchema {
  const stack = [...outer, payloadClass];
  const properties: Record<string, JsonObject> = {};
  const optional = new Set<string>();
  const nested = new Map<string, ValidationMetadata>();
  const unmapped: string[] = [];
  for (const meta of validationMetadataOf(payloadClass)) {
    const where = `${payloadClass.name}.${meta.propertyName}`;
    const property = (properties[meta.propertyName] ??= {});
    if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION && meta.name === 'isOptional') {
      optional.add(meta.propertyName);
      continue;
    }
    if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      // Mapped below, once the property's other rules say whether it is an array or one object.
      if (nested.has(meta.propertyName)) unmapped.push(`${where}: @ValidateNested() twice`);
      nested.set(meta.propertyName, meta);
      continue;
    }
    const rule = meta.type === ValidationTypes.CUSTOM_VALIDATION && meta.name ? RULES[meta.name] : undefined;
    if (!rule) {
      unmapped.push(`${where}: no JSON Schema mapping for class-validator rule '${meta.name ?? meta.type}'; add it to asyncapi-class-schema.ts`);
      continue;
    }
    let fragment: JsonObject;
    try {
      fragment = rule(meta.constraints ?? []);
    } catch (error) {
      if (!(error instanceof Inexpressible)) throw error;
      unmapped.push(`${where}: @${meta.name}: ${error.message}`);
      continue;
    }
    if (meta.each) {
      const items = isObject(property['items']) ? property['items'] : {};
      merge(items, fragment, `${where}[]`, unmapped);
      property['items'] = items;
    } else {
      merge(property, fragment, where, unmapped);
    }
  }
  for (const [name, meta] of nested) {
    const where = `${payloadClass.name}.${name}`;
    const property = properties[name];
    const nestedClass = nestedClassOf(payloadClass, name);
    if (!nestedClass) {
      unmapped.push(`${where}: @ValidateNested() without @Type(() => SomeClass) leaves a plain object, which parsePayload refuses; add @Type`);
      continue;
    }
    // class-validator validates every element of an array value, with or without { each: true }, and
    // an element that is itself an array element by element again: only @IsObject() pins the shape.
    if (meta.each || property['type'] === 'array') {
      const items = isObject(property['items']) ? property['items'] : {};
      if (items['type'] !== 'object') {
        unmapped.push(
          `${where}[]: @ValidateNested() also accepts elements that are arrays of ${nestedClass.name} (nested arrays are validated ` +
            `element by element), which the schema cannot say; add @IsObject({ each: true }) so that each element is one ${nestedClass.name}`,
        );
      }
      merge(items, objectSchemaOf(nestedClass, `${where}[]`, stack, unmapped), `${where}[]`, unmapped);
      property['items'] = items;
    } else {
      if (property['type'] !== 'object') {
        const absent = optional.has(name) ? '' : ', and no value at all (it skips undefined)';
        unmapped.push(
          `${where}: @ValidateNested() alone also accepts an array of ${nestedClass.name}${absent}; ` +
            `add @IsObject() so that the value is exactly one ${nestedClass.name}`,
        );
      }
      merge(property, objectSchemaOf(nestedClass, where, stack, unmapped), where, unmapped);
    }
  }
  for (const [name, property] of Object.entries(properties)) {
    // `each: true` on a value that is not an array validates the value itself: no `items` to speak of.
    if ('items' in property && property['type'] !== 'array') {
      unmapped.push(`${payloadClass.name}.${name}: rules with { each: true } need @IsArray() to mean 'every element'`);
    }
    if (optional.has(name)) admitNull(property);
  }
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  return { properties, required, unmapped };
}

function sameValue(keyword: string, expected: Json, actual: Json): boolean {
  // Sets, not lists: the order of enum values, of a type list or of required names means nothing.
  if ((keyword === 'enum' || keyword === 'type' || keyword === 'required') && Array.isArray(expected) && Array.isArray(actual)) {
    const key = (list: Json[]) => JSON.stringify(list.map((v) => JSON.stringify(v)).sort());
    return key(expected) === key(actual);
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/** Keywords whose value is a schema (or a map of them), compared keyword by keyword rather than as text. */
const SUBSCHEMAS: Record<string, (where: string) => string> = {
  items: (where) => `${where}[]`,
  not: (where) => `${where} (not)`,
};

/** The properties of a nested object schema, each compared like a payload property. */
function compareProperties(where: string, expected: JsonObject, actual: Json | undefined): string[] {
  if (!isObject(actual)) return [`${where}: the document lacks properties ${JSON.stringify(Object.keys(expected))} that the class-validator rules enforce`];
  return [...new Set([...Object.keys(expected), ...Object.keys(actual)])].flatMap((name) => {
    const want = expected[name];
    if (!isObject(want)) return [`${where}.${name}: the document has a property that the class does not validate`];
    if (!(name in actual)) return [`${where}.${name}: the document lacks this property, which the class validates`];
    return compareConstraints(`${where}.${name}`, want, actual[name]);
  });
}

/**
 * Differences between the constraints the code implies and a (dereferenced) property schema of the
 * document, each naming `where` and the keyword. Annotations (description, examples, …) are free.
 * Nested schemas (`items`, `not`, the `properties` of a nested object) are compared the same way.
 */
export function compareConstraints(where: string, expected: JsonObject, actual: Json): string[] {
  if (!isObject(actual)) return [`${where}: the document has no schema object here`];
  const problems: string[] = [];
  const constraints = Object.keys(actual).filter((k) => !ANNOTATION_KEYWORDS.has(k) && !k.startsWith('x-'));
  for (const keyword of new Set([...Object.keys(expected), ...constraints])) {
    const want = expected[keyword];
    const have = actual[keyword];
    if (keyword in SUBSCHEMAS && isObject(want)) {
      problems.push(...compareConstraints(SUBSCHEMAS[keyword](where), want, have ?? null));
    } else if (keyword === 'properties' && isObject(want)) {
      problems.push(...compareProperties(where, want, have));
    } else if (want === undefined) {
      problems.push(`${where}: the document says ${keyword}: ${JSON.stringify(have)} but the class-validator rules have no such constraint`);
    } else if (have === undefined) {
      problems.push(`${where}: the document lacks ${keyword}: ${JSON.stringify(want)} that the class-validator rules enforce`);
    } else if (!sameValue(keyword, want, have)) {
      problems.push(`${where}: the document says ${keyword}: ${JSON.stringify(have)}, the code says ${JSON.stringify(want)}`);
    }
  }
  return problems;
}
