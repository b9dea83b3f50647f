import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { PartnerAuthError } from './partner-auth.error';
import { PartnerRateLimiter } from './partner-rate-limiter';
import { PartnerReplayCache } from './partner-replay-cache';
import { PartnerSignedRequest } from './partner-signed-request';

/**
 * 429 `PARTNER_AUTH.RATE_LIMITED` with Retry-After once a partner is over PARTNER_RATE_LIMIT_PER_MINUTE
 * (per service instance). Runs after `PartnerSignatureGuard`, so only authenticated requests spend
 * a partner's budget and an unauthenticated flood cannot exhaust it.
 */
@Injectable()
export class PartnerRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: PartnerRateLimiter,
    private readonly replays: PartnerReplayCache,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const partner = http.getRequest<PartnerSignedRequest>().partner;
    if (!partner) throw new Error('PartnerRateLimitGuard needs PartnerSignatureGuard before it: use @PartnerSigned()');
    const decision = this.limiter.take(partner.partnerId);
    if (decision.allowed) return true;
    // Not handled: the very same request may come again once the budget allows.
    const fingerprint = http.getRequest<PartnerSignedRequest>().replayFingerprint;
    if (fingerprint) this.replays.release(fingerprint);
    http.getResponse<ServerResponse>().setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new PartnerAuthError(
      'PARTNER_AUTH.RATE_LIMITED',
      `partner ${partner.partnerId} is over its limit of ${this.limiter.perMinute} requests per minute: retry in ${decision.retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
      { retryAfterSeconds: decision.retryAfterSeconds, limitPerMinute: this.limiter.perMinute },
    );
  }
}
