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
  /** Constraint keywords per property (`items` holds the per-element rules of `each: true`). */
  properties: Record<string, JsonObject>;
  /** Properties without `@IsOptional()`. */
  required: string[];
  /** Decorators this mapping does not know: a problem to report, not to skip. */
  unmapped: string[];
}

/** The JSON Schema keywords each class-validator rule stands for. */
const RULES: Record<string, (constraints: unknown[]) => JsonObject> = {
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  arrayUnique: () => ({ uniqueItems: true }),
  arrayMinSize: ([n]) => ({ minItems: n as number }),
  arrayMaxSize: ([n]) => ({ maxItems: n as number }),
  minLength: ([n]) => ({ minLength: n as number }),
  maxLength: ([n]) => ({ maxLength: n as number }),
  isNotEmpty: () => ({ minLength: 1 }),
  min: ([n]) => ({ minimum: n as number }),
  max: ([n]) => ({ maximum: n as number }),
  matches: ([pattern]) => ({ type: 'string', pattern: (pattern as RegExp).source }),
  isIn: ([values]): JsonObject => {
    const options = values as Json[];
    return options.every((v) => typeof v === 'string') ? { type: 'string', enum: options } : { enum: options };
  },
};

function merge(target: JsonObject, fragment: JsonObject, where: string, unmapped: string[]): void {
  for (const [keyword, value] of Object.entries(fragment)) {
    if (keyword in target && JSON.stringify(target[keyword]) !== JSON.stringify(value)) {
      unmapped.push(`${where}: rules disagree on '${keyword}' (${JSON.stringify(target[keyword])} vs ${JSON.stringify(value)})`);
    }
    target[keyword] = value;
  }
}

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
    const fragment = rule(meta.constraints ?? []);
    if (meta.each) {
      const items = isObject(property['items']) ? property['items'] : {};
      merge(items, fragment, `${where}[]`, unmapped);
      property['items'] = items;
    } else {
      merge(property, fragment, where, unmapped);
    }
  }
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  return { properties, required, unmapped };
}

function sameValue(keyword: string, expected: Json, actual: Json): boolean {
  if (keyword === 'enum' && Array.isArray(expected) && Array.isArray(actual)) {
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
