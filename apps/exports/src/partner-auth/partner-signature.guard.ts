import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@niryat/platform';
import type { ServerResponse } from 'node:http';
import { PARTNER_AUTH_OPTIONS, PartnerAuthOptions } from './partner-auth.options';
import { PartnerKeysService } from './partner-keys.service';
import { PartnerAuthError } from './partner-auth.error';
import { PartnerReplayCache } from './partner-replay-cache';
import { readSignatureHeaders, verifyPartnerSignature } from './partner-signature';
import { PartnerSignedRequest } from './partner-signed-request';

/**
 * Lets a request through only when it is signed with an active partner key (README, "Partner HTTP
 * ingest: signing"), and puts `{ partnerId, keyId }` on it for `@CurrentPartner()`. Use it through
 * `@PartnerSigned()`, which also exempts the route from bearer authentication.
 */
@Injectable()
export class PartnerSignatureGuard implements CanActivate {
  constructor(
    private readonly keys: PartnerKeysService,
    private readonly replays: PartnerReplayCache,
    @Inject(PARTNER_AUTH_OPTIONS) private readonly options: PartnerAuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PartnerSignedRequest>();
    try {
      this.keys.assertConfigured();
      const rawBody = rawBodyOf(request);
      request.partner = await verifyPartnerSignature({
        headers: request.headers,
        rawBody,
        nowMs: Date.now(),
        toleranceSeconds: this.options.toleranceSeconds,
        findKey: (keyId) => this.keys.activeKey(keyId),
      });
      // Verified, so the headers are well formed. The same signed bytes again are a replay: refused before the rate limiter.
      const { timestampText, timestamp } = readSignatureHeaders(request.headers);
      const fingerprint = PartnerReplayCache.fingerprint(request.partner.keyId, timestampText, rawBody);
      if (!this.replays.claim(fingerprint, timestamp)) throw replayed();
      request.replayFingerprint = fingerprint;
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.status === HttpStatus.UNAUTHORIZED) {
        http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Niryat-HMAC-SHA256 realm="niryat-partner"');
      }
      throw error;
    }
  }
}

function replayed(): PartnerAuthError {
  return new PartnerAuthError(
    'PARTNER_AUTH.REPLAYED',
    'this exact signed request (key, timestamp and body) was received before, and answered then; to send its events again, sign anew with the current time (event ids make that safe)',
    HttpStatus.CONFLICT,
  );
}

/** The bytes the partner signed: Nest keeps them for parsed bodies when the app has `rawBody: true`. */
function rawBodyOf(request: PartnerSignedRequest): Buffer {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  const length = request.headers['content-length'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return Buffer.alloc(0);
  // Read by a parser yet not kept: the app was created without HTTP_APP_OPTIONS. A server fault, not the partner's.
  if (request.readableEnded) {
    throw new Error('signed partner request: the raw body was not kept; create the Nest app with HTTP_APP_OPTIONS ({ rawBody: true })');
  }
  // Not read at all: no parser takes this content type.
  throw new DomainError(
    'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    'signed partner requests carry a JSON body: send Content-Type: application/json',
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}
