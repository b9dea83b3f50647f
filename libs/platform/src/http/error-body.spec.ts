import { ArgumentsHost, HttpStatus, NotFoundException } from '@nestjs/common';
import { AuthError } from '@niryat/auth';
import { ErrorBodyFilter } from './error-body';

function respond(exception: unknown): { status: number; body: unknown; headers?: Record<string, string> } {
  const sent = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const response = {
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorBodyFilter().catch(exception, host);
  return Object.keys(sent.headers).length > 0 ? sent : { status: sent.status, body: sent.body };
}

describe('ErrorBodyFilter', () => {
  it('passes on an HttpException whose response is already an error body (the auth guard’s)', () => {
    const forbidden = new AuthError('AUTH.FORBIDDEN', 'role partner may not call this endpoint', HttpStatus.FORBIDDEN, {
      allowedRoles: ['reviewer', 'operator'],
    });
    expect(respond(forbidden)).toEqual({
      status: 403,
      body: { error: { code: 'AUTH.FORBIDDEN', message: 'role partner may not call this endpoint', allowedRoles: ['reviewer', 'operator'] } },
    });
    expect(respond(new AuthError('AUTH.UNAUTHENTICATED', 'invalid credentials', HttpStatus.UNAUTHORIZED))).toEqual({
      status: 401,
      body: { error: { code: 'AUTH.UNAUTHENTICATED', message: 'invalid credentials' } },
    });
  });

  it('answers 503 with Retry-After while the database is away (a restart, a failover), 500 for anything else unexpected', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(respond(refused)).toEqual({
      status: 503,
      body: { error: { code: 'SERVICE.UNAVAILABLE', message: 'the database is not answering for a moment; send the request again shortly' } },
      headers: { 'Retry-After': '2' },
    });
    expect(respond(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toMatchObject({ status: 503 });
    expect(respond(new TypeError('x is undefined'))).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } });
  });

  it('still maps other HTTP exceptions by status', () => {
    expect(respond(new NotFoundException('Cannot GET /nowhere'))).toEqual({
      status: 404,
      body: { error: { code: 'REQUEST.NOT_FOUND', message: 'Cannot GET /nowhere' } },
    });
  });
});
