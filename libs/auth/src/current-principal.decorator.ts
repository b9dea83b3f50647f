import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal, RequestWithPrincipal } from './principal';

/**
 * The authenticated caller, `{ id, role, scope? }`. Undefined only on `@Public()` routes, which
 * are not authenticated. Scope rules (a partner reads only sellers linked to its marketplace)
 * belong to the use case, which gets the principal from here.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<RequestWithPrincipal>().principal,
);
