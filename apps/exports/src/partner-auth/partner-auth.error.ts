import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@niryat/platform';

export type PartnerAuthErrorCode =
  | 'PARTNER_AUTH.NOT_CONFIGURED'
  | 'PARTNER_AUTH.MISSING_SIGNATURE'
  | 'PARTNER_AUTH.MALFORMED_SIGNATURE'
  | 'PARTNER_AUTH.STALE_TIMESTAMP'
  | 'PARTNER_AUTH.BAD_SIGNATURE'
  | 'PARTNER_AUTH.RATE_LIMITED'
  | 'PARTNER_AUTH.REPLAYED'
  | 'PARTNER_AUTH.TOO_MANY_ACTIVE_KEYS'
  | 'PARTNER_AUTH.KEY_NOT_FOUND';

/** A partner authentication failure, answered in the platform's error shape `{ error: { code, message, ... } }`. */
export class PartnerAuthError extends DomainError {
  constructor(code: PartnerAuthErrorCode, message: string, status: HttpStatus, details?: Record<string, unknown>) {
    super(code, message, status, details);
  }
}

export function notConfigured(): PartnerAuthError {
  return new PartnerAuthError(
    'PARTNER_AUTH.NOT_CONFIGURED',
    'partner request signing is not configured on this service: PARTNER_KEY_ENCRYPTION_KEY is not set',
    HttpStatus.SERVICE_UNAVAILABLE,
  );
}
