import { parseToken, ROLES } from '@niryat/auth';
import { http, PlatformStack } from './platform-stack';

interface ErrorBody {
  error: { code: string; message: string };
}

const UNKNOWN_SELLER = '00000000-0000-4000-8000-000000000000';

/**
 * Authentication as the compiled services apply it. Which role may call which route is each
 * service's concern (and the default deny for undeclared routes is covered in libs/auth with a
 * dummy controller), so these checks use a route that will never be public, an onboarding seller
 * read, and for a successful call the operator, who passes every role check.
 */
describe('authentication on the running services (AUTH_CREDENTIALS from the stack)', () => {
  const stack = new PlatformStack();
  const sellerUrl = () => `${stack.urls.onboarding}/v1/sellers/${UNKNOWN_SELLER}`;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('serves /health, /docs and the OpenAPI document without credentials, and documents both schemes', async () => {
    for (const url of Object.values(stack.urls)) expect((await http('GET', `${url}/health`)).status).toBe(200);
    const ui = await fetch(`${stack.urls.onboarding}/docs`);
    expect(ui.status).toBe(200);
    const openapi = await http<{ components: { securitySchemes: Record<string, unknown> }; security: unknown[] }>(
      'GET',
      `${stack.urls.onboarding}/docs/openapi.json`,
    );
    expect(openapi.status).toBe(200);
    expect(openapi.body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(openapi.body.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
  });

  it('answers 401 AUTH.UNAUTHENTICATED with WWW-Authenticate: Bearer when no credential is sent', async () => {
    const answer = await http<ErrorBody>('GET', sellerUrl());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="niryat"/);
    expect(answer.body).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: expect.stringContaining('authentication required') } });
  });

  it('answers 401 to a malformed token', async () => {
    const answer = await http<ErrorBody>('GET', sellerUrl(), undefined, 'not-a-niryat-token');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(answer.body.error).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', message: expect.stringMatching(/^malformed credentials/) });
  });

  it('answers a wrong secret and an unknown credential id with the same 401', async () => {
    const secret = parseToken(stack.token('operator'))?.secret ?? '';
    const otherSecret = `${secret.slice(1)}${secret[0] === 'A' ? 'B' : 'A'}`;
    const wrongSecret = await http<ErrorBody>('GET', sellerUrl(), undefined, `niryat_e2e-operator_${otherSecret}`);
    const unknownId = await http<ErrorBody>('GET', sellerUrl(), undefined, `niryat_e2e-nobody_${secret}`);
    expect(wrongSecret.status).toBe(401);
    expect(unknownId.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: 'invalid credentials' } });
    expect(unknownId.body).toEqual(wrongSecret.body);
    expect(unknownId.headers.get('www-authenticate')).toBe(wrongSecret.headers.get('www-authenticate'));
  });

  it('takes the token from X-API-Key as from Authorization: Bearer', async () => {
    const bearer = await http<ErrorBody>('GET', sellerUrl(), undefined, stack.token('operator'));
    const apiKey = await fetch(sellerUrl(), { headers: { 'X-API-Key': stack.token('operator') } });
    // Past authentication, the service answers for the seller itself: it does not exist.
    expect(bearer.status).toBe(404);
    expect(apiKey.status).toBe(404);
    expect(await apiKey.json()).toEqual(bearer.body);
    expect(bearer.body.error.code).toBe('ONBOARDING.SELLER_NOT_FOUND');
  });

  it('never writes a token to the service logs', () => {
    const logs = stack.logs.join('\n');
    for (const role of ROLES) expect(logs).not.toContain(parseToken(stack.token(role))?.secret);
  });
});
