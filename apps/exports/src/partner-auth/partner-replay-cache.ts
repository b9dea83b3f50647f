import { createHash } from 'node:crypto';

/** More distinct signed requests than any partner sends in a tolerance window; past it the oldest are forgotten first. */
const MAX_REMEMBERED = 200_000;

/**
 * The signed requests seen within the signature tolerance window, by fingerprint (key id,
 * timestamp and body: what the signature covers). A request already seen is a replay: refused
 * without reaching the rate limiter, so a captured request replayed any number of times spends
 * none of the partner's budget. A request is claimed when it passes the signature check and
 * forgotten again if it then fails (a partner retrying after a 503 sends the very same bytes).
 * In memory, per service instance: behind a load balancer a replay to another instance is
 * answered as the first was (the event ids keep it harmless either way).
 */
export class PartnerReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly toleranceSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  static fingerprint(keyId: string, timestampText: string, rawBody: Buffer): string {
    return createHash('sha256').update(`${keyId}\n${timestampText}\n`).update(rawBody).digest('hex');
  }

  /** True when the request is new (and now claimed); false for a replay of one seen in the window. */
  claim(fingerprint: string, timestamp: number): boolean {
    const nowMs = this.now();
    this.forgetExpired(nowMs);
    const expiresAt = this.seen.get(fingerprint);
    if (expiresAt !== undefined && expiresAt > nowMs) return false;
    // The timestamp can be up to the tolerance ahead of or behind the clock; it stays fresh until then.
    this.seen.set(fingerprint, (timestamp + this.toleranceSeconds) * 1000 + 1000);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }

  /** The request failed: the same bytes may be sent again. */
  release(fingerprint: string): void {
    this.seen.delete(fingerprint);
  }

  private forgetExpired(nowMs: number): void {
    // Insertion order is about expiry order (timestamps are within the window of now).
    for (const [fingerprint, expiresAt] of this.seen) {
      if (expiresAt > nowMs) break;
      this.seen.delete(fingerprint);
    }
  }
}
