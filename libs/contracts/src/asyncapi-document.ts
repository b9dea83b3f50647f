import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Test support for `asyncapi.spec.ts`: loads `docs/asyncapi.yaml` and resolves its local `$ref`s.
 * Not exported from the library's index; nothing at runtime reads the document.
 */
export const ASYNCAPI_PATH = join(__dirname, '..', '..', '..', 'docs', 'asyncapi.yaml');

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses the YAML strictly: duplicate keys and YAML 1.1 surprises (`09` as a number) are errors. */
export function loadAsyncApi(path = ASYNCAPI_PATH): JsonObject {
  const doc: unknown = parse(readFileSync(path, 'utf8'), { uniqueKeys: true, strict: true, version: '1.2' });
  if (!isObject(doc)) throw new Error(`${path} is not a YAML mapping`);
  return doc;
}

/** Follows a local JSON pointer (`#/components/schemas/SellerId`); undefined when it leads nowhere. */
export function resolvePointer(doc: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

export interface Dereferenced {
  /** The document with every `{ $ref }` replaced by a copy of its target (null where it has none). */
  document: JsonObject;
  /** One line per reference that is not local, leads nowhere, or is circular. */
  problems: string[];
}

export function dereference(doc: JsonObject): Dereferenced {
  // A Set: a component reached through several references would otherwise report its problem once per path.
  const problems = new Set<string>();
  // `at` restarts at each reference's target, so a problem is named where it is written in the file.
  const walk = (node: Json, at: string, seen: readonly string[]): Json => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${at}/${i}`, seen));
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      if (seen.includes(ref)) {
        problems.add(`${at}: circular $ref ${[...seen, ref].join(' -> ')}`);
        return null;
      }
      const target = resolvePointer(doc, ref);
      if (target === undefined) {
        problems.add(`${at}: $ref '${ref}' does not resolve inside the document`);
        return null;
      }
      return walk(target, ref, [...seen, ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, `${at}/${key}`, seen)]));
  };
  const document = walk(doc, '#', []) as JsonObject;
  return { document, problems: [...problems] };
}

/** The object at `key`, or an empty one; keeps the checks free of optional chaining noise. */
export function objectAt(node: Json | undefined, ...path: string[]): JsonObject {
  let current: Json | undefined = node;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return isObject(current) ? current : {};
}
