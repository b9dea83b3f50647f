export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  units: number;
  updatedAtMs: number;
}

// Integer arithmetic: one request costs `UNITS_PER_TOKEN` units and a minute refills
// `perMinute` tokens, so each millisecond adds exactly `perMinute` units. No rounding drift.
const UNITS_PER_TOKEN = 60_000;

/**
 * A token bucket per partner: it holds up to `perMinute` requests and refills at `perMinute` per
 * minute, so a partner may burst a minute's budget and then sustain that rate. In memory and per
 * service instance: N instances behind a load balancer allow up to N times the rate in total.
 * Partners are the handful of marketplaces, so buckets are never evicted.
 */
export class PartnerRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacityUnits: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error('the rate limit must be a whole number of requests per minute, at least 1');
    this.capacityUnits = perMinute * UNITS_PER_TOKEN;
  }

  /** Takes one request from the partner's budget, or says how many whole seconds until one is available. */
  take(partnerId: string): RateDecision {
    const nowMs = this.now();
    const bucket = this.buckets.get(partnerId) ?? { units: this.capacityUnits, updatedAtMs: nowMs };
    const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
    bucket.units = Math.min(this.capacityUnits, bucket.units + elapsedMs * this.perMinute);
    bucket.updatedAtMs = nowMs;
    this.buckets.set(partnerId, bucket);
    if (bucket.units >= UNITS_PER_TOKEN) {
      bucket.units -= UNITS_PER_TOKEN;
      return { allowed: true };
    }
    const waitMs = Math.ceil((UNITS_PER_TOKEN - bucket.units) / this.perMinute);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
