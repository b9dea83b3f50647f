import { PartnerRateLimiter } from './partner-rate-limiter';

function limiterAt(perMinute: number) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new PartnerRateLimiter(perMinute, () => clock.now) };
}

describe('PartnerRateLimiter (token bucket per partner)', () => {
  it('allows a full minute of requests at once, then refuses with the seconds until the next token', () => {
    const { limiter } = limiterAt(60); // one token a second
    for (let i = 0; i < 60; i += 1) expect(limiter.take('amazon')).toEqual({ allowed: true });
    expect(limiter.take('amazon')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills continuously at perMinute / 60 per second, never above capacity', () => {
    const { clock, limiter } = limiterAt(6); // a token every 10 s
    for (let i = 0; i < 6; i += 1) limiter.take('amazon');
    expect(limiter.take('amazon')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.now += 4_000;
    expect(limiter.take('amazon')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    clock.now += 5_500;
    // 9.5 s refilled 0.95 of a token: 0.5 s to go, rounded up to whole seconds.
    expect(limiter.take('amazon')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.now += 500;
    expect(limiter.take('amazon')).toEqual({ allowed: true });
    expect(limiter.take('amazon')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.now += 3_600_000;
    for (let i = 0; i < 6; i += 1) expect(limiter.take('amazon')).toEqual({ allowed: true });
    expect(limiter.take('amazon').allowed).toBe(false);
  });

  it('rounds Retry-After up and never answers 0', () => {
    const { clock, limiter } = limiterAt(7); // a token every 8571.43 ms
    for (let i = 0; i < 7; i += 1) limiter.take('walmart');
    expect(limiter.take('walmart')).toEqual({ allowed: false, retryAfterSeconds: 9 });
    clock.now += 8_571;
    expect(limiter.take('walmart')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.now += 1;
    expect(limiter.take('walmart')).toEqual({ allowed: true });
  });

  it('keeps one budget per partner', () => {
    const { limiter } = limiterAt(1);
    expect(limiter.take('amazon').allowed).toBe(true);
    expect(limiter.take('amazon')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.take('flipkart').allowed).toBe(true);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new PartnerRateLimiter(0)).toThrow();
    expect(() => new PartnerRateLimiter(1.5)).toThrow();
  });
});
