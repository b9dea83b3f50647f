import { PartnerKeyCache } from './partner-key-cache';
import type { ActivePartnerKey } from './partner-signature';

const keyA: ActivePartnerKey = { partnerId: 'amazon', keyId: 'pk_00000000000000000000000a', secret: Buffer.from('a') };
const keyB: ActivePartnerKey = { partnerId: 'amazon', keyId: 'pk_00000000000000000000000b', secret: Buffer.from('b') };

function setUp(initial: ActivePartnerKey[]) {
  const state = { now: 0, table: [...initial], loads: 0 };
  const cache = new PartnerKeyCache(
    async () => {
      state.loads += 1;
      return [...state.table];
    },
    30_000,
    () => state.now,
  );
  return { state, cache };
}

describe('PartnerKeyCache', () => {
  it('reads the table once per TTL for known keys', async () => {
    const { state, cache } = setUp([keyA]);
    await expect(cache.find(keyA.keyId)).resolves.toBe(keyA);
    state.now = 29_999;
    await cache.find(keyA.keyId);
    expect(state.loads).toBe(1);
    state.now = 30_000;
    await cache.find(keyA.keyId);
    expect(state.loads).toBe(2);
  });

  it('sees a revocation made elsewhere once the TTL has passed', async () => {
    const { state, cache } = setUp([keyA]);
    await cache.find(keyA.keyId);
    state.table = [];
    state.now = 10_000;
    await expect(cache.find(keyA.keyId)).resolves.toBe(keyA);
    state.now = 30_000;
    await expect(cache.find(keyA.keyId)).resolves.toBeUndefined();
  });

  it('re-reads for an unknown key id at most once a second', async () => {
    const { state, cache } = setUp([keyA]);
    await expect(cache.find(keyB.keyId)).resolves.toBeUndefined();
    expect(state.loads).toBe(1);
    state.table = [keyA, keyB]; // created on another instance
    state.now = 500;
    await expect(cache.find(keyB.keyId)).resolves.toBeUndefined();
    expect(state.loads).toBe(1);
    state.now = 1_000;
    await expect(cache.find(keyB.keyId)).resolves.toBe(keyB);
    expect(state.loads).toBe(2);
    for (let i = 0; i < 10; i += 1) await cache.find('pk_ffffffffffffffffffffffff');
    expect(state.loads).toBe(2);
  });

  it('reads again right after invalidate()', async () => {
    const { state, cache } = setUp([keyA]);
    await cache.find(keyA.keyId);
    state.table = [];
    cache.invalidate();
    await expect(cache.find(keyA.keyId)).resolves.toBeUndefined();
    expect(state.loads).toBe(2);
  });

  it('shares one read between concurrent lookups', async () => {
    const { state, cache } = setUp([keyA, keyB]);
    await Promise.all([cache.find(keyA.keyId), cache.find(keyB.keyId), cache.find(keyA.keyId)]);
    expect(state.loads).toBe(1);
  });

  it('does not keep what a read started before an invalidation returned', async () => {
    let release: (keys: ActivePartnerKey[]) => void = () => undefined;
    let loads = 0;
    const cache = new PartnerKeyCache(
      () => {
        loads += 1;
        return loads === 1 ? new Promise<ActivePartnerKey[]>((resolve) => (release = resolve)) : Promise.resolve([]);
      },
      30_000,
      () => 0,
    );
    const inFlight = cache.find(keyA.keyId);
    cache.invalidate(); // keyA revoked while the first read was running
    release([keyA]);
    await inFlight;
    await expect(cache.find(keyA.keyId)).resolves.toBeUndefined();
    expect(loads).toBe(2);
  });
});
