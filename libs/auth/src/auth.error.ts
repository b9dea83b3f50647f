import { HttpException, HttpStatus } from '@nestjs/common';

export type AuthErrorCode = 'AUTH.UNAUTHENTICATED' | 'AUTH.FORBIDDEN';

/**
 * A 401 or 403 whose response is already the platform's error body, `{ error: { code, message } }`,
 * so it reads the same through the platform's filter and through Nest's default one.
 */
export class AuthError extends HttpException {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    status: HttpStatus.UNAUTHORIZED | HttpStatus.FORBIDDEN,
    details: Record<string, unknown> = {},
  ) {
    super({ error: { code, message, ...details } }, status);
    this.message = message;
  }
}
