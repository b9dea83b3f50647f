import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@niryat/auth';
import { PartnerRateLimitGuard } from './partner-rate-limit.guard';
import { PartnerReplayRelease } from './partner-replay-release.interceptor';
import { AuthenticatedPartner, PARTNER_SIGNATURE_HEADERS } from './partner-signature';
import { PartnerSignatureGuard } from './partner-signature.guard';
import { PartnerSignedRequest } from './partner-signed-request';

/**
 * The route takes requests signed with a partner key instead of bearer tokens: public for the
 * global AuthGuard, then the signature guard and the per-partner rate limit, in that order.
 */
export function PartnerSigned(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Public(),
    UseGuards(PartnerSignatureGuard, PartnerRateLimitGuard),
    UseInterceptors(PartnerReplayRelease),
    ApiHeader({ name: PARTNER_SIGNATURE_HEADERS.keyId, required: true, description: 'The partner key that signed the request, pk_…' }),
    ApiHeader({ name: PARTNER_SIGNATURE_HEADERS.timestamp, required: true, description: 'Signing time, unix seconds' }),
    ApiHeader({
      name: PARTNER_SIGNATURE_HEADERS.signature,
      required: true,
      description: 'v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>, hex in either case, several comma-separated during a key rotation',
    }),
    ApiUnauthorizedResponse({ description: 'PARTNER_AUTH.MISSING_SIGNATURE, MALFORMED_SIGNATURE, STALE_TIMESTAMP or BAD_SIGNATURE' }),
    ApiTooManyRequestsResponse({ description: 'PARTNER_AUTH.RATE_LIMITED, with Retry-After in seconds' }),
    ApiConflictResponse({ description: 'PARTNER_AUTH.REPLAYED: this exact signed request was received before; it spends none of the budget' }),
    ApiPayloadTooLargeResponse({ description: 'REQUEST.TOO_LARGE: the body is over the service limit' }),
    ApiServiceUnavailableResponse({ description: 'PARTNER_AUTH.NOT_CONFIGURED: the service has no PARTNER_KEY_ENCRYPTION_KEY' }),
  );
}

/** The verified partner, `{ partnerId, keyId }`, on a `@PartnerSigned()` route. */
export const CurrentPartner = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedPartner => {
  const partner = context.switchToHttp().getRequest<PartnerSignedRequest>().partner;
  if (!partner) throw new Error('@CurrentPartner() is only available on routes marked @PartnerSigned()');
  return partner;
});
