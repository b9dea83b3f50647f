import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { Public, Roles } from './access.decorators';
import { AuthModule } from './auth.module';
import { CurrentPrincipal } from './current-principal.decorator';
import { Principal } from './principal';
import { Role } from './roles';

function credential(id: string, role: Role, scope?: string) {
  const secret = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(secret).digest('hex');
  return { token: `niryat_${id}_${secret}`, entry: [id, role, hash, ...(scope ? [scope] : [])].join(':') };
}

const operator = credential('ops-1', 'operator');
const reviewer = credential('rev-1', 'reviewer');
const registrant = credential('reg-1', 'registrant');
const partner = credential('amazon-feed', 'partner', 'amazon');
const CREDENTIALS = [operator, reviewer, registrant, partner].map((c) => c.entry).join(',');

@Controller('open')
class OpenController {
  @Public()
  @Get()
  ping() {
    return { ok: true };
  }
}

@Controller('reviews')
class ReviewsController {
  @Roles('reviewer')
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }
}

@Roles('partner')
@Controller('partner')
class PartnerController {
  @Get('sellers')
  sellers(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @Roles('registrant')
  @Get('own')
  own() {
    return { ok: true };
  }
}

@Controller('forgotten')
class ForgottenController {
  // No @Roles, no @Public: operator only.
  @Get()
  get() {
    return { ok: true };
  }
}

async function appWith(credentials: string | undefined): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRoot({ credentials })],
    controllers: [OpenController, ReviewsController, PartnerController, ForgottenController],
  }).compile();
  return moduleRef.createNestApplication({ logger: false }).init();
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('AuthGuard on a Nest app (global APP_GUARD from AuthModule)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await appWith(CREDENTIALS);
  });
  afterAll(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) => request(app.getHttpServer()).get(path).set(headers);

  describe('@Public()', () => {
    it('needs no credential, and ignores a bad one', async () => {
      await get('/open').expect(200, { ok: true });
      await get('/open', bearer('niryat_nobody_garbage')).expect(200);
    });
  });

  describe('@Roles(reviewer)', () => {
    it('lets a reviewer through and hands the handler its principal', async () => {
      await get('/reviews', bearer(reviewer.token)).expect(200, { principal: { id: 'rev-1', role: 'reviewer' } });
    });

    it('lets the operator through: operator passes every role check', async () => {
      await get('/reviews', bearer(operator.token)).expect(200, { principal: { id: 'ops-1', role: 'operator' } });
    });

    it.each([
      ['registrant', registrant],
      ['partner', partner],
    ])('refuses a %s with 403 AUTH.FORBIDDEN naming the allowed roles', async (role, { token }) => {
      const response = await get('/reviews', bearer(token)).expect(403);
      expect(response.body).toEqual({
        error: {
          code: 'AUTH.FORBIDDEN',
          message: `role ${role} may not call this endpoint: allowed roles are reviewer, operator`,
          allowedRoles: ['reviewer', 'operator'],
        },
      });
      expect(response.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('@Roles on a controller', () => {
    it('covers its handlers, and gives partners their scope', async () => {
      await get('/partner/sellers', bearer(partner.token)).expect(200, {
        principal: { id: 'amazon-feed', role: 'partner', scope: 'amazon' },
      });
      await get('/partner/sellers', bearer(reviewer.token)).expect(403);
    });

    it("is replaced, not extended, by a handler's own @Roles", async () => {
      await get('/partner/own', bearer(registrant.token)).expect(200);
      await get('/partner/own', bearer(partner.token)).expect(403);
    });
  });

  describe('a route with neither @Roles nor @Public', () => {
    it.each([
      ['reviewer', reviewer],
      ['registrant', registrant],
      ['partner', partner],
    ])('is denied to a %s (403)', async (role, { token }) => {
      const response = await get('/forgotten', bearer(token)).expect(403);
      expect(response.body.error).toEqual({
        code: 'AUTH.FORBIDDEN',
        message: `role ${role} may not call this endpoint: it declares no roles, so only operator may call it`,
        allowedRoles: ['operator'],
      });
    });

    it('is open to the operator only', async () => {
      await get('/forgotten', bearer(operator.token)).expect(200);
    });

    it('still asks for credentials first (401, not 403)', async () => {
      await get('/forgotten').expect(401);
    });
  });

  describe('401 AUTH.UNAUTHENTICATED with WWW-Authenticate: Bearer', () => {
    it('without credentials', async () => {
      const response = await get('/reviews').expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="niryat"');
      expect(response.body).toEqual({
        error: {
          code: 'AUTH.UNAUTHENTICATED',
          message: 'authentication required: send Authorization: Bearer <token> or X-API-Key: <token>',
        },
      });
    });

    it.each([
      ['not a niryat token', bearer('abc')],
      ['a truncated token', bearer(reviewer.token.slice(0, -1))],
      ['another scheme', { Authorization: `Basic ${reviewer.token}` }],
      ['an empty X-API-Key', { 'X-API-Key': '' }],
      ['two different tokens', { ...bearer(reviewer.token), 'X-API-Key': operator.token }],
    ])('for a malformed credential: %s', async (_case, headers) => {
      const response = await get('/reviews', headers).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="niryat"/);
      expect(response.body.error.code).toBe('AUTH.UNAUTHENTICATED');
      expect(response.body.error.message).toMatch(/^malformed credentials/);
    });

    it('with one body for a wrong secret and an unknown id', async () => {
      const wrongSecret = await get('/reviews', bearer(credential('rev-1', 'reviewer').token)).expect(401);
      const unknownId = await get('/reviews', bearer(credential('rev-9', 'reviewer').token)).expect(401);
      expect(wrongSecret.body).toEqual({ error: { code: 'AUTH.UNAUTHENTICATED', message: 'invalid credentials' } });
      expect(unknownId.body).toEqual(wrongSecret.body);
      expect(unknownId.headers['www-authenticate']).toBe(wrongSecret.headers['www-authenticate']);
      expect(wrongSecret.headers['www-authenticate']).toBe('Bearer realm="niryat", error="invalid_token"');
    });
  });

  it('takes the token from X-API-Key as from Authorization: Bearer', async () => {
    await get('/reviews', { 'X-API-Key': reviewer.token }).expect(200, { principal: { id: 'rev-1', role: 'reviewer' } });
    await get('/reviews', { 'X-API-Key': registrant.token }).expect(403);
    await get('/reviews', { ...bearer(reviewer.token), 'X-API-Key': reviewer.token }).expect(200);
    await get('/reviews', { Authorization: `bearer ${reviewer.token}` }).expect(200);
  });
});

describe('AuthGuard without credentials (AUTH_CREDENTIALS empty)', () => {
  it('answers 401 on every protected route and still serves @Public() ones', async () => {
    const app = await appWith('');
    try {
      await request(app.getHttpServer()).get('/open').expect(200);
      await request(app.getHttpServer()).get('/reviews').set(bearer(reviewer.token)).expect(401);
      await request(app.getHttpServer()).get('/forgotten').set(bearer(operator.token)).expect(401);
    } finally {
      await app.close();
    }
  });

  it('refuses to build on a bad AUTH_CREDENTIALS', async () => {
    await expect(appWith('rev-1:reviewer:abc')).rejects.toThrow(/AUTH_CREDENTIALS has 1 problem\(s\): entry 1 \("rev-1"\)/);
  });
});

describe('@Roles and @Public declarations', () => {
  it('refuses both on one handler', () => {
    expect(() => {
      class Both {
        @Public()
        @Roles('reviewer')
        handler() {
          return undefined;
        }
      }
      return Both;
    }).toThrow(/already declares @Public or @Roles/);
  });

  it('refuses @Roles() without roles and unknown roles', () => {
    expect(() => Roles()).toThrow(/at least one role/);
    expect(() => Roles('auditor' as Role)).toThrow(/unknown role\(s\) auditor/);
  });
});
