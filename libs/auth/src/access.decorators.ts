import { applyDecorators } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { isRole, OPERATOR_ROLE, Role } from './roles';

export const ACCESS_METADATA = 'niryat:access';

/** What a handler or controller declares; a handler's declaration replaces its controller's. */
export type Access = { public: true } | { public: false; roles: readonly Role[] };

function declareAccess(access: Access, decorator: string): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const holder = descriptor ? (descriptor.value as object) : target;
    // Two declarations on one target would leave the guard to pick one silently.
    if (Reflect.hasOwnMetadata(ACCESS_METADATA, holder)) {
      throw new Error(`${decorator}: this handler or controller already declares @Public or @Roles; keep exactly one`);
    }
    Reflect.defineMetadata(ACCESS_METADATA, access, holder);
  };
}

/**
 * Callers need a credential with one of these roles; `operator` passes every role check.
 * On a controller it covers every handler that declares nothing itself.
 */
export function Roles(...roles: Role[]): ClassDecorator & MethodDecorator {
  if (roles.length === 0) throw new Error(`@Roles() needs at least one role; for operator-only write @Roles('${OPERATOR_ROLE}')`);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new Error(`@Roles: unknown role(s) ${unknown.join(', ')}`);
  const allowed = allowedRoles(roles);
  return applyDecorators(
    declareAccess({ public: false, roles: [...roles] }, '@Roles'),
    ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED: no credential, or not a valid one' }),
    ApiForbiddenResponse({ description: `AUTH.FORBIDDEN: allowed roles are ${allowed.join(', ')}` }),
  );
}

/** No credential needed (health checks). Credentials sent anyway are ignored, not checked. */
export function Public(): ClassDecorator & MethodDecorator {
  // An empty security requirement tells OpenAPI clients this operation needs none.
  return applyDecorators(declareAccess({ public: true }, '@Public'), ApiSecurity({}));
}

/** The roles that may pass, operator always among them; a route that declares none is operator-only. */
export function allowedRoles(declared: readonly Role[] | undefined): Role[] {
  return [...new Set([...(declared ?? []), OPERATOR_ROLE])];
}
