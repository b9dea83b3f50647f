import type { IncomingMessage } from 'node:http';
import type { AuthenticatedPartner } from './partner-signature';

/** A request as the partner guards see it: Nest's `rawBody` (HTTP_APP_OPTIONS) and the verified partner. */
export interface PartnerSignedRequest extends IncomingMessage {
  rawBody?: Buffer;
  partner?: AuthenticatedPartner;
  /** The verified request's key in the replay cache (PartnerReplayCache.fingerprint). */
  replayFingerprint?: string;
}
