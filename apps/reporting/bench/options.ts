import { flags, UsageError } from '@niryat/testing';

/** The requirement this benchmark checks: "a shipped order shows in the totals within one second at a steady 2,000 events/s". */
export const TARGET = { eventsPerSecond: 2_000, latencyMs: 1_000 } as const;

export type Observer = 'db' | 'api';

export interface FreshnessOptions {
  /** Steady produce rates to compare, events/s, one run of the service each. */
  rates: number[];
  /** Measured seconds per rate, after the warm-up. */
  seconds: number;
  warmupSeconds: number;
  /** A probe export every this many ms. */
  probeEveryMs: number;
  /** How often the probe rows are read. */
  pollEveryMs: number;
  /** How probes are seen: Postgres `export_totals`, or GET /v1/reports/exports of the service. */
  observe: Observer;
  sellers: number;
  seed: number;
  /** After producing stops, how long the service may take to apply the rest. */
  catchUpSeconds: number;
  /** Extra environment for the reporting service (CONSUMER_CHUNK_SIZE, DB_POOL_SIZE, …). */
  serviceEnv: Record<string, string>;
  keep: boolean;
  out?: string;
}

export const USAGE = `usage: npm run bench:freshness -- [options]

How long a shipped order (an ExportRecorded event) takes to show in the reporting service's export
totals while events arrive at a steady rate, for several rates side by side: the compiled reporting
service as npm start runs it, on a Kafka and Postgres of the run's own.

  --rates LIST        events/s, comma-separated, one run each (default 500,2000,4000)
  --seconds S         measured seconds per rate, after the warm-up (default 30)
  --warmup S          seconds at the rate before measuring (default 5)
  --probe-every MS    a probe export every MS milliseconds (default 50)
  --poll-every MS     read the probe rows every MS milliseconds (default 10)
  --observe WHERE     db: poll export_totals in Postgres (default); api: GET /v1/reports/exports
  --sellers N         sellers sending the traffic (default 400)
  --seed N            workload seed (default 1)
  --catch-up S        after producing stops, the time the service gets to apply the rest (default 300)
  --service-env K=V   a variable for the reporting service (repeatable), e.g. CONSUMER_CHUNK_SIZE=200
  --keep              keep the bench schemas, topics (and own infra data) for inspection
  --out FILE          JSON results (default artifacts/bench-freshness-<timestamp>.json)

KAFKA_BROKERS and DATABASE_URL: use these instead of starting a Kafka and Postgres of its own.`;

export function parseOptions(argv: readonly string[]): FreshnessOptions | 'help' {
  const options: FreshnessOptions = {
    rates: [500, 2_000, 4_000],
    seconds: 30,
    warmupSeconds: 5,
    probeEveryMs: 50,
    pollEveryMs: 10,
    observe: 'db',
    sellers: 400,
    seed: 1,
    catchUpSeconds: 300,
    serviceEnv: {},
    keep: false,
  };
  for (const flag of flags(argv)) {
    switch (flag.name) {
      case '-h':
      case '--help':
        return 'help';
      case '--rates': {
        const rates = flag.list().map(Number);
        if (rates.length === 0 || rates.some((r) => !Number.isInteger(r) || r < 10 || r > 100_000)) {
          throw new UsageError('--rates takes comma-separated integers from 10 to 100000 (events/s)');
        }
        options.rates = rates;
        break;
      }
      case '--seconds':
        options.seconds = flag.integer(1, 3_600);
        break;
      case '--warmup':
        options.warmupSeconds = flag.integer(0, 600);
        break;
      case '--probe-every':
        options.probeEveryMs = flag.integer(10, 60_000);
        break;
      case '--poll-every':
        options.pollEveryMs = flag.integer(1, 1_000);
        break;
      case '--observe': {
        const where = flag.value();
        if (where !== 'db' && where !== 'api') throw new UsageError(`--observe takes db or api, not ${where}`);
        options.observe = where;
        break;
      }
      case '--sellers':
        options.sellers = flag.integer(1, 100_000);
        break;
      case '--seed':
        options.seed = flag.integer(0, 2 ** 31);
        break;
      case '--catch-up':
        options.catchUpSeconds = flag.integer(1, 3_600);
        break;
      case '--service-env': {
        const pair = flag.value();
        const eq = pair.indexOf('=');
        if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, eq))) throw new UsageError(`--service-env takes NAME=value, not ${pair}`);
        options.serviceEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--keep':
        options.keep = true;
        break;
      case '--out':
        options.out = flag.value();
        break;
      default:
        throw flag.unknown();
    }
  }
  return options;
}
