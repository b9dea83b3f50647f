import { PartnerReplayCache } from './partner-replay-cache';

describe('partner replay cache', () => {
  const body = Buffer.from('{"events":[]}');

  it('claims a signed request once within the window, and again once it has expired', () => {
    let now = 1_700_000_000_000;
    const cache = new PartnerReplayCache(300, () => now);
    const fingerprint = PartnerReplayCache.fingerprint('pk_1', '1700000000', body);
    expect(cache.claim(fingerprint, 1_700_000_000)).toBe(true);
    expect(cache.claim(fingerprint, 1_700_000_000)).toBe(false);
    now += 302_000;
    expect(cache.claim(fingerprint, 1_700_000_000)).toBe(true);
  });

  it('lets the same bytes through again after a failure, and tells other keys, timestamps and bodies apart', () => {
    const cache = new PartnerReplayCache(300, () => 1_700_000_000_000);
    const fingerprint = PartnerReplayCache.fingerprint('pk_1', '1700000000', body);
    expect(cache.claim(fingerprint, 1_700_000_000)).toBe(true);
    cache.release(fingerprint);
    expect(cache.claim(fingerprint, 1_700_000_000)).toBe(true);
    for (const other of [
      PartnerReplayCache.fingerprint('pk_2', '1700000000', body),
      PartnerReplayCache.fingerprint('pk_1', '1700000001', body),
      PartnerReplayCache.fingerprint('pk_1', '1700000000', Buffer.from('{"events":[{}]}')),
    ]) {
      expect(cache.claim(other, 1_700_000_000)).toBe(true);
    }
  });
});
