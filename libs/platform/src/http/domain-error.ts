import { HttpStatus } from '@nestjs/common';

export interface FieldReason {
  field: string;
  code: string;
  message: string;
}

/**
 * An error a client can act on: a stable machine code (`ONBOARDING.SELLER_NOT_FOUND`), an HTTP
 * status, a sentence, and optional details (field reasons, the current state, the conflicting id).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: HttpStatus = HttpStatus.UNPROCESSABLE_ENTITY,
    readonly details?: Record<string, unknown> & { fields?: FieldReason[] },
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, HttpStatus.NOT_FOUND, details);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, HttpStatus.CONFLICT, details);
  }
}
