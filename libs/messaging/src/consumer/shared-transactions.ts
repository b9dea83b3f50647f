/** What the queue needs of a chunk: its events (to bound a transaction) and whether it may still be applied. */
export interface SharedChunk {
  readonly events: readonly unknown[];
  /** False once the consumer is stopping: the chunk is dropped, left for Kafka to deliver again. */
  stillWanted(): boolean;
}

export interface SharedTransactionsOptions<C extends SharedChunk> {
  /** Events per transaction (one chunk more than that is never split, it goes alone). */
  maxEvents: number;
  /** Applies chunks in one transaction, events applied per chunk; throws if that failed for good. */
  applyTogether(chunks: readonly C[]): Promise<number[]>;
  /** Applies one chunk alone, isolating a guilty event; throws only when it cannot go on. */
  applyAlone(chunk: C): Promise<number>;
  /** The error a dropped chunk is rejected with. */
  dropped(): Error;
}

interface Waiting<C> {
  chunk: C;
  resolve: (applied: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Chunks of several partitions applied together, one transaction at a time, in the order they
 * were added (so a partition's chunks stay in order). Whatever is waiting when a transaction ends
 * goes into the next one, up to `maxEvents`; the first chunk added to an idle queue waits one turn
 * of the event loop, so the chunks kafkajs hands the other partitions' workers from the same fetch
 * join it.
 *
 * If a shared transaction fails for good, its chunks are applied alone, one after another. If one
 * of them cannot be applied at all, nothing after it is (it may be of the same partition): every
 * chunk waiting or added later is rejected with that error until `reopen`.
 */
export class SharedTransactions<C extends SharedChunk> {
  private readonly waiting: Waiting<C>[] = [];
  private waitingEvents = 0;
  private running?: Promise<void>;
  private roomWaiters: (() => void)[] = [];
  private failure?: { error: unknown };

  constructor(private readonly options: SharedTransactionsOptions<C>) {}

  /** Applies the chunk in a shared transaction: resolves with its events applied once that commits. */
  add(chunk: C): Promise<number> {
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<number>((resolve, reject) => {
      this.waiting.push({ chunk, resolve, reject });
      this.waitingEvents += chunk.events.length;
      this.running ??= new Promise<void>((turn) => setImmediate(turn)).then(() => this.run());
    });
  }

  /** Resolves once fewer than `maxEvents` wait beside the transaction in flight (or the queue failed). */
  async room(): Promise<void> {
    while (this.waitingEvents >= this.options.maxEvents && !this.failure) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves once nothing is in flight; chunks still waiting by then are being dropped or applied. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The error that stopped the queue, if one did. */
  get failed(): unknown {
    return this.failure?.error;
  }

  /** Takes chunks again after a failure (the consumer has re-read everything not applied). */
  reopen(): void {
    this.failure = undefined;
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const taken = this.take();
        if (taken.length > 0) await this.apply(taken);
      }
    } finally {
      this.running = undefined;
    }
  }

  /** The chunks of the next transaction, dropping the ones no longer wanted. */
  private take(): Waiting<C>[] {
    const taken: Waiting<C>[] = [];
    let events = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      if (this.failure) next.reject(this.failure.error);
      else if (!next.chunk.stillWanted()) next.reject(this.options.dropped());
      else if (taken.length > 0 && events + next.chunk.events.length > this.options.maxEvents) break;
      else {
        taken.push(next);
        events += next.chunk.events.length;
      }
      this.waiting.shift();
      this.waitingEvents -= next.chunk.events.length;
    }
    for (const wake of this.roomWaiters.splice(0)) wake();
    return taken;
  }

  private async apply(taken: Waiting<C>[]): Promise<void> {
    let applied: number[] | undefined;
    try {
      applied = await this.options.applyTogether(taken.map((w) => w.chunk));
    } catch {
      // Failed for good (or the consumer is stopping): one at a time below.
    }
    for (const [i, { chunk, resolve, reject }] of taken.entries()) {
      if (applied) resolve(applied[i]);
      else if (this.failure) reject(this.failure.error);
      else {
        try {
          resolve(await this.options.applyAlone(chunk));
        } catch (error) {
          this.failure = { error };
          reject(error);
          for (const wake of this.roomWaiters.splice(0)) wake();
        }
      }
    }
  }
}
