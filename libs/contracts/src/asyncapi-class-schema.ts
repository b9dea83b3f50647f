import { getMetadataStorage } from 'class-validator';
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
   * whose value is null or undefined, so `type` (and `enum`) say `null` too.
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

/** The JSON Schema keywords each class-validator rule stands for. */
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
  isIn: ([values]): JsonObject => {
    if (!Array.isArray(values)) throw new Inexpressible(`allowed values ${String(values)} are not an array`);
    const options = values as Json[];
    return options.every((v) => typeof v === 'string') ? { type: 'string', enum: options } : { enum: options };
  },
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
  const properties: Record<string, JsonObject> = {};
  const optional = new Set<string>();
  const unmapped: string[] = [];
  for (const meta of validationMetadataOf(payloadClass)) {
    const where = `${payloadClass.name}.${meta.propertyName}`;
    const property = (properties[meta.propertyName] ??= {});
    if (meta.type === 'conditionalValidation' && meta.name === 'isOptional') {
      optional.add(meta.propertyName);
      continue;
    }
    const rule = meta.type === 'customValidation' && meta.name ? RULES[meta.name] : undefined;
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
  // Sets, not lists: the order of enum values or of a type list means nothing.
  if ((keyword === 'enum' || keyword === 'type') && Array.isArray(expected) && Array.isArray(actual)) {
    const key = (list: Json[]) => JSON.stringify(list.map((v) => JSON.stringify(v)).sort());
    return key(expected) === key(actual);
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/**
 * Differences between the constraints the code implies and a (dereferenced) property schema of the
 * document, each naming `where` and the keyword. Annotations (description, examples, …) are free.
 */
export function compareConstraints(where: string, expected: JsonObject, actual: Json): string[] {
  if (!isObject(actual)) return [`${where}: the document has no schema object here`];
  const problems: string[] = [];
  const constraints = Object.keys(actual).filter((k) => !ANNOTATION_KEYWORDS.has(k) && !k.startsWith('x-'));
  for (const keyword of new Set([...Object.keys(expected), ...constraints])) {
    const want = expected[keyword];
    const have = actual[keyword];
    if (keyword === 'items' && isObject(want)) {
      problems.push(...compareConstraints(`${where}[]`, want, have ?? null));
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
