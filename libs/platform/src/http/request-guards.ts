import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { malformedTextIn, textProblem } from '@niryat/contracts';
import type { FieldReason } from './domain-error';

/** The OpenAPI pages' own scripts and styles, nothing from elsewhere, and never framed. */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers on every answer of every service: no content sniffing; API answers (they hold personal
 * data and change with every request) never stored by a cache; a CSP for the OpenAPI pages
 * (the dashboard sets its own). A route that sets its own Cache-Control keeps it.
 */
export function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.path.startsWith('/v1/')) response.setHeader('Cache-Control', 'no-store');
  if (request.path === '/docs' || request.path.startsWith('/docs/')) response.setHeader('Content-Security-Policy', DOCS_CSP);
  next();
}

/** Deeper JSON than any Niryat body has (a registration is four levels deep); deeper is refused before validation recurses into it. */
export const MAX_JSON_DEPTH = 32;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

interface Route {
  method: string;
  pattern: RegExp;
  literalSegments: number;
  query: Set<string>;
}

/** The documented routes with the query parameters each takes, most specific first. */
function routesOf(document: OpenAPIObject): Route[] {
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    const segments = template.split('/').filter(Boolean);
    const pattern = new RegExp(`^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
    const literalSegments = segments.filter((s) => !/^\{.+\}$/.test(s)).length;
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])] as { in?: string; name?: string }[];
      const query = new Set(parameters.filter((p) => p.in === 'query' && p.name).map((p) => p.name as string));
      routes.push({ method: method.toUpperCase(), pattern, literalSegments, query });
    }
  }
  return routes.sort((a, b) => b.literalSegments - a.literalSegments);
}

function refuse(response: Response, status: number, code: string, message: string, fields?: FieldReason[]): void {
  response.status(status).json({ error: { code, message, ...(fields ? { fields } : {}) } });
}

const hasBody = (request: Request) => Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;

/** Where the body first nests deeper than MAX_JSON_DEPTH, walked without recursion (a body nested 10,000 deep must not take the stack), or null. */
function tooDeepAt(body: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return path || '(body)';
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [`${path}[${i}]`, item]) : Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item]);
    for (const [at, item] of entries) stack.push({ value: item, path: at, depth: depth + 1 });
  }
  return null;
}

/** The body's first problem: too deep, or a key or string that is not text. `field` names where, as validation does. */
function bodyProblem(body: unknown): { status: number; code: string; reason: FieldReason } | null {
  const deep = tooDeepAt(body);
  if (deep !== null) return { status: 400, code: 'REQUEST.TOO_DEEP', reason: { field: deep, code: 'maxDepth', message: `JSON may be nested at most ${MAX_JSON_DEPTH} levels deep` } };
  const text = malformedTextIn(body);
  return text ? { status: 400, code: 'REQUEST.VALIDATION_FAILED', reason: { ...text, field: text.field || '(body)' } } : null;
}

/**
 * What every service refuses before a route runs, in one place and the same way everywhere:
 *
 * - a path that is not valid percent-encoding, or holds a NUL or half a surrogate pair (400);
 * - a query parameter the route does not document (400 `unknownParameter`; the OpenAPI document is
 *   the list), or one holding such text;
 * - a body in another content type than JSON (415: every body Niryat reads is JSON);
 * - JSON nested deeper than MAX_JSON_DEPTH (400 `REQUEST.TOO_DEEP`), or with a NUL or half a
 *   surrogate pair in any key or string (400, naming the field).
 *
 * Routes the document does not hold (the dashboard's files, /health, /docs) keep only the path,
 * content type and body checks.
 */
export function requestGuards(document: OpenAPIObject) {
  const routes = routesOf(document);
  return (request: Request, response: Response, next: NextFunction): void => {
    const rawPath = request.originalUrl.split('?')[0];
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return refuse(response, 400, 'REQUEST.BAD_PATH', 'the path is not valid percent-encoding');
    }
    const pathProblem = textProblem(path);
    if (pathProblem) return refuse(response, 400, 'REQUEST.BAD_PATH', `the path ${pathProblem.message}`, [{ field: 'path', ...pathProblem }]);

    const route = routes.find((r) => r.method === request.method && r.pattern.test(rawPath));
    const fields: FieldReason[] = [];
    const query = request.query as Record<string, unknown>;
    for (const [name, value] of Object.entries(query)) {
      const nameProblem = textProblem(name);
      if (nameProblem) {
        fields.push({ field: 'query', ...nameProblem });
        continue;
      }
      if (route && !route.query.has(name)) {
        const known = [...route.query].sort();
        fields.push({ field: name, code: 'unknownParameter', message: `${name} is not a parameter of this route${known.length ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}` });
        continue;
      }
      for (const text of (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')) {
        const problem = textProblem(text);
        if (problem) fields.push({ field: name, ...problem });
      }
    }
    if (fields.length > 0) return refuse(response, 400, 'REQUEST.VALIDATION_FAILED', `${fields.length} field(s) failed validation`, fields);

    if (hasBody(request) && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) {
      const type = request.headers['content-type'];
      if (!type || !JSON_TYPE.test(type)) {
        return refuse(response, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (UTF-8)${type ? `, not ${type.split(';')[0]}` : ''}`);
      }
      const problem = bodyProblem(request.body);
      if (problem) return refuse(response, problem.status, problem.code, problem.code === 'REQUEST.TOO_DEEP' ? problem.reason.message : '1 field(s) failed validation', [problem.reason]);
    }
    next();
  };
}
