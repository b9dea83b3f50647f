import type { ActivePartnerKey } from './partner-signature';

interface Snapshot {
  loadedAtMs: number;
  keys: Map<string, ActivePartnerKey>;
}

/**
 * The active keys, decrypted, reused for `ttlMs` so signature checks do not read the table per
 * request. `invalidate()` (after a create or revoke in this instance) makes the next lookup read
 * again; other instances see a change within `ttlMs`, and a key id they do not know yet makes them
 * read again at most once per `missReloadMs`, so a new key works at once everywhere while a flood
 * of made-up key ids costs one query per second.
 */
export class PartnerKeyCache {
  private snapshot?: Snapshot;
  private loading?: { generation: number; promise: Promise<Snapshot> };
  // A load that started before an invalidation must not put what it read back into the cache.
  private generation = 0;

  constructor(
    private readonly load: () => Promise<ActivePartnerKey[]>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly missReloadMs = 1_000,
  ) {}

  async find(keyId: string): Promise<ActivePartnerKey | undefined> {
    let snapshot = this.snapshot && this.now() - this.snapshot.loadedAtMs < this.ttlMs ? this.snapshot : await this.reload();
    if (!snapshot.keys.has(keyId) && this.now() - snapshot.loadedAtMs >= this.missReloadMs) snapshot = await this.reload();
    return snapshot.keys.get(keyId);
  }

  invalidate(): void {
    this.generation += 1;
    this.snapshot = undefined;
  }

  private reload(): Promise<Snapshot> {
    if (this.loading?.generation === this.generation) return this.loading.promise;
    const generation = this.generation;
    const promise = (async () => {
      const loadedAtMs = this.now();
      const keys = new Map((await this.load()).map((key) => [key.keyId, key]));
      const snapshot = { loadedAtMs, keys };
      if (generation === this.generation) this.snapshot = snapshot;
      return snapshot;
    })().finally(() => {
      if (this.loading?.promise === promise) this.loading = undefined;
    });
    this.loading = { generation, promise };
    return promise;
  }
}
