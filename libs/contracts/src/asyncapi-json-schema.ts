import { isIsoDate } from '@niryat/money';
import { isObject, Json } from './asyncapi-document';

/**
 * Test support: a deliberately small JSON Schema validator for the subset the AsyncAPI document
 * uses, so its examples are checked against its own schemas without a schema library. A keyword it
 * does not know is reported as a problem, never silently ignored.
 */

/** Keywords that document rather than constrain. */
export const ANNOTATION_KEYWORDS = new Set([
  'title',
  'description',
  'examples',
  'default',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
]);

const FORMATS: Record<string, (value: string) => boolean> = {
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  // RFC 3339 date-time, the profile of ISO 8601 that JSON Schema means.
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v)),
  'uri-reference': (v) => v.length > 0 && !/\s/.test(v),
  // RFC 3339 full-date: a day that exists.
  date: (v) => isIsoDate(v),
};

/** Part of every problem about the schema itself rather than the value. */
const UNKNOWN_TO_VALIDATOR = "not known to the test's validator";

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Problems of `value` against `schema` (already dereferenced), each naming its JSON path. */
export function validateValue(schema: Json, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  if (!isObject(schema)) return [`${path}: schema is not an object`];
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${path}: ${message}`);

  for (const [keyword, rule] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(keyword) || keyword.startsWith('x-')) continue;
    switch (keyword) {
      case 'type': {
        const types = Array.isArray(rule) ? rule : [rule];
        if (!types.some((t) => typeof t === 'string' && matchesType(value, t))) fail(`expected type ${types.join(' | ')}, got ${typeOf(value)}`);
        break;
      }
      case 'const':
        if (JSON.stringify(value) !== JSON.stringify(rule)) fail(`expected const ${JSON.stringify(rule)}, got ${JSON.stringify(value)}`);
        break;
      case 'enum':
        if (!Array.isArray(rule) || !rule.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
          fail(`${JSON.stringify(value)} is not one of the enum values`);
        }
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(String(rule), 'u').test(value)) fail(`'${value}' does not match pattern ${String(rule)}`);
        break;
      case 'format': {
        const check = FORMATS[String(rule)];
        if (!check) fail(`format '${String(rule)}' is ${UNKNOWN_TO_VALIDATOR}`);
        else if (typeof value === 'string' && !check(value)) fail(`'${value}' is not a valid ${String(rule)}`);
        break;
      }
      case 'minLength':
        if (typeof value === 'string' && [...value].length < Number(rule)) fail(`shorter than minLength ${String(rule)}`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > Number(rule)) fail(`longer than maxLength ${String(rule)}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < Number(rule)) fail(`below minimum ${String(rule)}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > Number(rule)) fail(`above maximum ${String(rule)}`);
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < Number(rule)) fail(`fewer than minItems ${String(rule)}`);
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > Number(rule)) fail(`more than maxItems ${String(rule)}`);
        break;
      case 'uniqueItems':
        if (rule === true && Array.isArray(value) && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
          fail('items are not unique');
        }
        break;
      case 'not': {
        // What the inner schema cannot check must not pass for 'does not match'.
        const inner = validateValue(rule, value, `${path} (not)`);
        const unknown = inner.filter((problem) => problem.includes(UNKNOWN_TO_VALIDATOR));
        if (unknown.length > 0) problems.push(...unknown);
        else if (inner.length === 0) fail(`${JSON.stringify(value)} is a value the schema under 'not' excludes`);
        break;
      }
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => problems.push(...validateValue(rule, item, `${path}[${i}]`)));
        break;
      case 'required':
        if (isObject(value) && Array.isArray(rule)) {
          for (const name of rule) if (!Object.prototype.hasOwnProperty.call(value, String(name))) fail(`missing required property '${String(name)}'`);
        }
        break;
      case 'properties':
        if (isObject(value) && isObject(rule)) {
          for (const [name, sub] of Object.entries(rule)) {
            if (Object.prototype.hasOwnProperty.call(value, name)) problems.push(...validateValue(sub, value[name], `${path}.${name}`));
          }
        }
        break;
      case 'additionalProperties':
        if (isObject(value)) {
          const declared = isObject(schema['properties']) ? schema['properties'] : {};
          for (const name of Object.keys(value).filter((n) => !Object.prototype.hasOwnProperty.call(declared, n))) {
            if (rule === false) fail(`property '${name}' is not allowed (additionalProperties: false)`);
            else problems.push(...validateValue(rule, value[name], `${path}.${name}`));
          }
        }
        break;
      default:
        fail(`schema keyword '${keyword}' is ${UNKNOWN_TO_VALIDATOR}; extend asyncapi-json-schema.ts`);
    }
  }
  return problems;
}
