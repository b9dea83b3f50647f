import { ArgumentsHost, HttpStatus, NotFoundException } from '@nestjs/common';
import { AuthError } from '@niryat/auth';
import { ErrorBodyFilter } from './error-body';

function respond(exception: unknown): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown };
  const response = {
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
  return sent;
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

  it('still maps other HTTP exceptions by status', () => {
    expect(respond(new NotFoundException('Cannot GET /nowhere'))).toEqual({
      status: 404,
      body: { error: { code: 'REQUEST.NOT_FOUND', message: 'Cannot GET /nowhere' } },
    });
  });
});
