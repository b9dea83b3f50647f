import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Probe } from './pacer';
import { EXPORT_PARTITIONS, probeMonth, PROBE_PROGRAMME, PROBE_STATE } from './workload';

/** The `orders` of each probe seller's row, by probe seller: how many of its probes are in the totals. */
export type ProbeReader = () => Promise<number[]>;

const counts = (rows: { month: string; orders: number }[]): number[] => {
  const byMonth = new Map(rows.map((r) => [r.month, Number(r.orders)]));
  return Array.from({ length: EXPORT_PARTITIONS }, (_, k) => byMonth.get(probeMonth(k)) ?? 0);
};

/** Straight from the view's table, as the reporting API reads it. */
export function databaseReader(db: Client, schema: string): ProbeReader {
  const months = Array.from({ length: EXPORT_PARTITIONS }, (_, k) => `${probeMonth(k)}-01`);
  return async () => {
    const { rows } = await db.query<{ month: string; orders: number }>(
      `SELECT to_char(month, 'YYYY-MM') AS month, orders FROM "${schema}".export_totals
        WHERE programme = $1 AND state_code = $2 AND month = ANY($3::date[])`,
      [PROBE_PROGRAMME, PROBE_STATE, months],
    );
    return counts(rows);
  };
}

/** Through the service: GET /v1/reports/exports, as the dashboard does. */
export function apiReader(baseUrl: string, token: string): ProbeReader {
  const url = `${baseUrl}/v1/reports/exports?programme=${PROBE_PROGRAMME}&state=${PROBE_STATE}&from=${probeMonth(0)}&to=${probeMonth(EXPORT_PARTITIONS - 1)}`;
  return async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET /v1/reports/exports answered ${response.status}`);
    const body = (await response.json()) as { rows: { month: string; orders: number }[] };
    return counts(body.rows);
  };
}

export interface PollingStats {
  polls: number;
  /** Time between the starts of consecutive polls: the resolution of the latencies. */
  gapP50Ms: number;
  gapMaxMs: number;
  readMaxMs: number;
  errors: number;
  lastError?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the probe rows every `everyMs` and stamps each sent probe with the end of the first read
 * that counts it: the moment an observer has it, which overstates the latency by at most one poll
 * interval plus one read. A probe seller's events are applied in order (one partition), so its
 * row's count says which of its probes are in.
 */
export class ProbeWatcher {
  private readonly pending: Probe[][] = Array.from({ length: EXPORT_PARTITIONS }, () => []);
  private readonly gaps: number[] = [];
  private readonly stats: PollingStats = { polls: 0, gapP50Ms: 0, gapMaxMs: 0, readMaxMs: 0, errors: 0 };
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly read: ProbeReader,
    private readonly everyMs: number,
  ) {}

  /** A probe handed to Kafka: from now on it is looked for. */
  add(probe: Probe): void {
    this.pending[probe.seller].push(probe);
  }

  get outstanding(): number {
    return this.pending.reduce((sum, queue) => sum + queue.length, 0);
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<PollingStats> {
    this.stopped = true;
    await this.running;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    this.stats.gapP50Ms = Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10;
    this.stats.gapMaxMs = Math.round(sorted[sorted.length - 1] ?? 0);
    return this.stats;
  }

  private async loop(): Promise<void> {
    let previous: number | undefined;
    while (!this.stopped) {
      const startedAt = performance.now();
      if (previous !== undefined) this.gaps.push(startedAt - previous);
      previous = startedAt;
      try {
        const applied = await this.read();
        const seenAt = performance.now();
        this.stats.readMaxMs = Math.max(this.stats.readMaxMs, Math.round(seenAt - startedAt));
        applied.forEach((count, seller) => {
          const queue = this.pending[seller];
          while (queue.length > 0 && queue[0].ordinal <= count) {
            const probe = queue.shift() as Probe;
            probe.visibleAt = Math.max(seenAt, probe.sentAt ?? seenAt);
          }
        });
      } catch (error) {
        this.stats.errors += 1;
        this.stats.lastError = (error as Error).message;
      }
      this.stats.polls += 1;
      await sleep(Math.max(0, startedAt + this.everyMs - performance.now()));
    }
  }
}
