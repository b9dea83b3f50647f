import { randomBytes, randomUUID } from 'node:crypto';
import { seededRandom } from '@niryat/testing';
import { http, PlatformStack } from './platform-stack';

/**
 * Malformed, oversized and hostile input as an outside tester sends it, to every route of the four
 * services' OpenAPI documents: never a 5xx, refusals with a code (and field reasons where a field
 * is at fault), and every service healthy at the end.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  $ref?: string;
  type?: string;
  enum?: Json[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  example?: Json;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Route {
  service: string;
  base: string;
  method: string;
  path: string;
  operation: Operation;
  document: OpenApi;
}
interface ErrorBody {
  error?: { code: string; fields?: { field: string; code: string }[] };
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  'é'.repeat(3),
  '<script>alert(1)</script>',
  "'; DROP TABLE sellers; --",
  '../../../../etc/passwd',
  '%00',
  '0000-01-01',
  '2026-02-30',
  '9'.repeat(400),
  'A'.repeat(5_000),
  '١٢٣',
];
const HOSTILE_VALUES: Json[] = [null, true, -1, 0, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, [], {}, [null], { $gt: '' }, { __proto__: { admin: true } } as unknown as Json];
const PATH_VALUES = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '%00', '%F0%90%80', '%E0%A4%A', 'a'.repeat(300), '..', '%2e%2e%2f', '1e9', randomUUID()];

/** Percent-encoding a tester would send: a lone surrogate, which encodeURIComponent refuses, as the bytes of its CESU-8 form. */
function encoded(text: string): string {
  return text.replace(/[\uD800-\uDFFF]/g, '\uFFFD').split('\uFFFD').map(encodeURIComponent).join('%ED%A0%80');
}

/** JSON nested `depth` levels: arrays in arrays. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function resolve(schema: Schema | undefined, document: OpenApi): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 10; hops++) current = document.components?.schemas?.[current.$ref.split('/').pop() ?? ''] ?? {};
  if (current.allOf) return current.allOf.reduce<Schema>((merged, part) => ({ ...merged, ...resolve(part, document), properties: { ...merged.properties, ...resolve(part, document).properties } }), {});
  return current;
}

function generate(schema: Schema | undefined, document: OpenApi, random: () => number, depth = 0): Json {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  if (random() < 0.12) return random() < 0.5 ? pick(HOSTILE_STRINGS) : pick(HOSTILE_VALUES);
  const s = resolve(schema, document);
  if (s.enum && random() < 0.8) return pick(s.enum);
  if (s.example !== undefined && random() < 0.4) return s.example;
  switch (s.type) {
    case 'string':
      return pick(HOSTILE_STRINGS);
    case 'integer':
    case 'number':
      return pick([0, 1, -1, 100, 2 ** 31, 2 ** 53 + 2, 1.25, -(2 ** 40)]);
    case 'boolean':
      return random() < 0.5;
    case 'array':
      return depth > 4 ? [] : Array.from({ length: Math.floor(random() * 3) }, () => generate(s.items, document, random, depth + 1));
    default: {
      if (!s.properties || depth > 4) return pick(HOSTILE_VALUES);
      const body: Record<string, Json> = {};
      for (const [name, property] of Object.entries(s.properties)) if (random() < 0.8) body[name] = generate(property, document, random, depth + 1);
      if (random() < 0.2) body[pick(['extra', '__proto__', 'constructor', 'a\u0000'])] = pick(HOSTILE_STRINGS);
      return body;
    }
  }
}

describe('hostile input to every route of the four OpenAPI documents (compiled services, real Kafka and Postgres)', () => {
  const stack = new PlatformStack();
  const routes: Route[] = [];

  beforeAll(async () => {
    // Partner keys configured, as in production: the ingest then answers unsigned requests 401, not 503.
    stack.withEnv('exports', { PARTNER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    await stack.start();
    for (const [service, base] of Object.entries(stack.urls)) {
      const { body: document } = await http<OpenApi>('GET', `${base}/docs/openapi.json`);
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) routes.push({ service, base, method: method.toUpperCase(), path, operation, document });
      }
    }
  }, 120_000);
  afterAll(() => stack.stop());

  async function send(route: Route, path: string, init: { query?: string; body?: string; contentType?: string }) {
    const response = await fetch(`${route.base}${path}${init.query ? `?${init.query}` : ''}`, {
      method: route.method,
      headers: { authorization: `Bearer ${stack.token('operator')}`, ...(init.body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}) },
      body: init.body,
    });
    const text = await response.text();
    let body: ErrorBody = {};
    try {
      body = text ? (JSON.parse(text) as ErrorBody) : {};
    } catch {
      // A non-JSON answer: its status still counts.
    }
    return { status: response.status, body, where: `${route.method} ${path}${init.query ? `?${init.query.slice(0, 80)}` : ''}` };
  }

  const concrete = (route: Route, value = () => randomUUID()) => route.path.replace(/\{[^}]+\}/g, () => value());
  const bodyRoutes = () => routes.filter((r) => r.operation.requestBody);

  it('finds the routes: every service documents its API, and the body routes are many', () => {
    expect(new Set(routes.map((r) => r.service))).toEqual(new Set(['onboarding', 'exports', 'training', 'reporting']));
    expect(bodyRoutes().length).toBeGreaterThanOrEqual(20);
  });

  it('refuses JSON nested 10,000 deep on every route that takes a body with 400 REQUEST.TOO_DEEP', async () => {
    const answers = await Promise.all(bodyRoutes().map((route) => send(route, concrete(route), { body: nested(10_000) })));
    const wrong = answers.filter((a) => a.status !== 400 || a.body.error?.code !== 'REQUEST.TOO_DEEP').map((a) => `${a.where}: ${a.status} ${a.body.error?.code}`);
    // The signed partner ingest checks its signature first (401); it never reaches validation.
    expect(wrong.filter((w) => !w.startsWith('POST /v1/partner-events: 401'))).toEqual([]);
  });

  it('answers a body in another content type than JSON with 415 on every service', async () => {
    const answers = await Promise.all(bodyRoutes().map((route) => send(route, concrete(route), { body: 'tradeName=x', contentType: 'text/plain' })));
    const wrong = answers.filter((a) => a.status !== 415).map((a) => `${a.where}: ${a.status}`);
    expect(wrong.filter((w) => !w.startsWith('POST /v1/partner-events: 401'))).toEqual([]);
  });

  it('refuses NUL and half surrogate pairs in text fields, queries and paths, and non-UUID ids, with 400 and the field', async () => {
    const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path) as Route;
    const seller = route('PATCH', '/v1/sellers/{id}');
    const cases = [
      [await send(seller, `/v1/sellers/${randomUUID()}`, { body: JSON.stringify({ tradeName: 'Brass\u0000Works' }) }), 'tradeName:noNulCharacter'],
      [await send(seller, `/v1/sellers/${randomUUID()}`, { body: JSON.stringify({ contact: { email: 'a\uD800@example.in', mobile: '+919876543210' } }) }), 'contact.email:wellFormedText'],
      [await send(route('GET', '/v1/sellers'), '/v1/sellers', { query: 'district=Agra%00' }), 'district:noNulCharacter'],
      [await send(route('GET', '/v1/sellers/{id}'), '/v1/sellers/%00', {}), 'path:noNulCharacter'],
      [await send(route('GET', '/v1/learners/{sellerId}'), '/v1/learners/not-a-uuid', {}), 'sellerId:isUuid'],
      [await send(route('GET', '/v1/sellers'), '/v1/sellers', { query: 'colour=blue' }), 'colour:unknownParameter'],
      [await send(route('GET', '/v1/reports/impact'), '/v1/reports/impact', { query: 'programme=walmart-vriddhi&x=1' }), 'x:unknownParameter'],
    ] as const;
    expect(cases.map(([answer, expected]) => [answer.where, answer.status, answer.body.error?.fields?.map((f) => `${f.field}:${f.code}`), expected])).toEqual(
      cases.map(([answer, expected]) => [answer.where, 400, [expected], expected]),
    );
  });

  it('checks days and months against the calendar and a plausible range, and a range that ends before it starts', async () => {
    const exports = routes.find((r) => r.method === 'GET' && r.path === '/v1/reports/exports') as Route;
    const progress = routes.find((r) => r.method === 'GET' && r.path === '/v1/reports/progress') as Route;
    const cases = [
      [await send(exports, '/v1/reports/exports', { query: 'from=0000-01' }), 'from:calendarMonth'],
      [await send(exports, '/v1/reports/exports', { query: 'from=2026-09&to=2026-03' }), 'to:notBefore'],
      [await send(progress, '/v1/reports/progress', { query: 'asOf=2026-02-30' }), 'asOf:calendarDay'],
      [await send(progress, '/v1/reports/progress', { query: 'asOf=0000-01-01' }), 'asOf:calendarDay'],
    ] as const;
    expect(cases.map(([answer]) => [answer.where, answer.status, answer.body.error?.fields?.map((f) => `${f.field}:${f.code}`)])).toEqual(
      cases.map(([answer, expected]) => [answer.where, 400, [expected]]),
    );
    expect((await send(exports, '/v1/reports/exports', { query: 'from=2026-03&to=2026-03' })).status).toBe(200);
  });

  it('sends no X-Powered-By, nosniff everywhere, no-store on API answers and a CSP on the OpenAPI pages', async () => {
    for (const [service, base] of Object.entries(stack.urls)) {
      for (const path of ['/health', '/docs', '/docs/openapi.json', '/v1/no-such-route']) {
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${stack.token('operator')}` } });
        expect([service, path, response.headers.get('x-powered-by'), response.headers.get('x-content-type-options')]).toEqual([service, path, null, 'nosniff']);
        if (path.startsWith('/docs')) expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      }
    }
    const sellers = await fetch(`${stack.urls.onboarding}/v1/sellers`, { headers: { authorization: `Bearer ${stack.token('reviewer')}` } });
    expect([sellers.status, sellers.headers.get('cache-control')]).toEqual([200, 'no-store']);
  });

  it('never answers 5xx to generated parameters and bodies on any route, and every service stays healthy', async () => {
    const random = seededRandom(20_261_204);
    const failures: string[] = [];
    for (const route of routes) {
      const parameters = route.operation.parameters ?? [];
      for (let attempt = 0; attempt < 12; attempt++) {
        const path = route.path.replace(/\{[^}]+\}/g, () => PATH_VALUES[Math.floor(random() * PATH_VALUES.length)]);
        const query = parameters
          .filter((p) => p.in === 'query' && random() < 0.7)
          .map((p) => {
            const value = generate(p.schema, route.document, random);
            return `${encoded(p.name)}=${encoded(typeof value === 'string' ? value : JSON.stringify(value))}`;
          })
          .concat(random() < 0.1 ? ['unknown=1'] : [])
          .join('&');
        const schema = route.operation.requestBody?.content?.['application/json']?.schema;
        const body = route.operation.requestBody ? JSON.stringify(generate(schema, route.document, random)) : undefined;
        const answer = await send(route, path, { query, body });
        if (answer.status >= 500) failures.push(`${answer.where} ${body?.slice(0, 120) ?? ''}: ${answer.status} ${answer.body.error?.code}`);
      }
    }
    expect(failures).toEqual([]);
    for (const base of Object.values(stack.urls)) expect((await http('GET', `${base}/health`)).status).toBe(200);
  });
});
