import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Access, ACCESS_METADATA, allowedRoles } from './access.decorators';
import { AuthError } from './auth.error';
import { CredentialStore } from './credential-store';
import { parseToken } from './credential-token';
import { Principal, RequestWithPrincipal } from './principal';
import { OPERATOR_ROLE } from './roles';

const MISSING = 'authentication required: send Authorization: Bearer <token> or X-API-Key: <token>';
const MALFORMED = 'malformed credentials: expected one token of the form niryat_<id>_<secret> in Authorization: Bearer or X-API-Key';
// One message for an unknown id and a wrong secret: the answer must not tell which ids exist.
const INVALID = 'invalid credentials';

/**
 * Authenticates every HTTP request and checks its role against the route's declaration:
 * `@Public()` lets everyone through, `@Roles(...)` the listed roles and operator, and a route that
 * declares neither is operator-only, so a forgotten decorator is never an open door.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Only HTTP callers carry credentials; Kafka traffic is authenticated by the broker.
    if (context.getType() !== 'http') return true;
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (access?.public) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage & RequestWithPrincipal>();
    const principal = this.authenticate(request.headers, http.getResponse<ServerResponse>());
    request.principal = principal;

    const allowed = allowedRoles(access?.roles);
    if (principal.role === OPERATOR_ROLE || allowed.includes(principal.role)) return true;
    const declared = access ? `allowed roles are ${allowed.join(', ')}` : `it declares no roles, so only ${OPERATOR_ROLE} may call it`;
    throw new AuthError('AUTH.FORBIDDEN', `role ${principal.role} may not call this endpoint: ${declared}`, HttpStatus.FORBIDDEN, {
      allowedRoles: allowed,
    });
  }

  private authenticate(headers: IncomingHttpHeaders, response: ServerResponse): Principal {
    const fail = (message: string, challenge: string) => {
      response.setHeader('WWW-Authenticate', challenge);
      return new AuthError('AUTH.UNAUTHENTICATED', message, HttpStatus.UNAUTHORIZED);
    };
    const presented = presentedToken(headers);
    if (presented === undefined) throw fail(MISSING, 'Bearer realm="niryat"');
    const parts = presented === null ? undefined : parseToken(presented);
    if (!parts) throw fail(MALFORMED, 'Bearer realm="niryat", error="invalid_request"');
    const principal = this.credentials.verify(parts);
    if (!principal) throw fail(INVALID, 'Bearer realm="niryat", error="invalid_token"');
    return principal;
  }
}

/** The token from `Authorization: Bearer` or `X-API-Key`; undefined if neither is sent, null if unusable. */
function presentedToken(headers: IncomingHttpHeaders): string | null | undefined {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization === undefined && apiKey === undefined) return undefined;
  const tokens = new Set<string | null>();
  if (authorization !== undefined) tokens.add(/^Bearer +(\S+) *$/i.exec(authorization)?.[1] ?? null);
  if (apiKey !== undefined) tokens.add(typeof apiKey === 'string' ? apiKey.trim() : null);
  // Both headers are accepted only when they carry the same token.
  return tokens.size === 1 ? [...tokens][0] : null;
}
