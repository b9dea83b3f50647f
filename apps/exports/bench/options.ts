import { flags, UsageError } from '@niryat/testing';

export const VARIANTS = ['ceiling', 'batch', 'naive'] as const;
export type VariantName = (typeof VARIANTS)[number];

export interface BenchOptions {
  orders: number;
  sellers: number;
  seed: number;
  duplicates: number;
  variants: VariantName[];
  timeoutSeconds: number;
  /** Extra environment for the batch variant (the real service): CONSUMER_CHUNK_SIZE=5000, … */
  serviceEnv: Record<string, string>;
  keep: boolean;
  /** Diagnosis: kafkajs settings forced onto the batch variant's partner consumer. */
  experiments: { partitionsConsumedConcurrently?: number; maxBytesPerPartition?: number; maxBytes?: number };
  /** CPU profiles and per-statement SQL timings of each variant's process (slower: diagnosis only). */
  profile: boolean;
  out?: string;
}

export const USAGE = `usage: npm run bench:exports -- [options]

Throughput of the exports service's partner-order consumer, from a pre-filled topic to committed
exports, side by side with the naive NestJS way and a consume-only kafkajs reader.

  --orders N          orders; each is a placed and a shipped event (default 10000 → 20,000 events)
  --sellers N         sellers, each with 1-2 marketplace accounts (default 300)
  --duplicates F      share of shipped events a partner sends twice, 0-1 (default 0)
  --seed N            workload seed (default 1)
  --variants LIST     comma-separated, run in this order (default ceiling,batch,naive)
  --timeout S         per variant, start to finish, in seconds (default 600)
  --chunk-size N      CONSUMER_CHUNK_SIZE of the service (default: the service's own, 1000)
  --service-env K=V   any other variable for the service (repeatable), e.g. DB_POOL_SIZE=4
  --profile           diagnosis: V8 CPU profile and per-statement SQL time of each variant's process,
                      summarised after the table (profiled figures are slower than plain ones)
  --try-concurrency N               what-if for batch: kafkajs partitionsConsumedConcurrently
                                    (the service uses 1)
  --try-max-bytes-per-partition N   what-if for batch: kafkajs maxBytesPerPartition (1 MiB)
  --try-max-bytes N                 what-if for batch: kafkajs maxBytes per fetch (10 MiB)
                      What-ifs are forced onto the running service's consumer: not the shipped
                      settings, and the report marks a run that used any.
  --keep              keep the bench schemas, topics (and own infra data) for inspection
  --out FILE          JSON results (default artifacts/bench-exports-<timestamp>.json)

KAFKA_BROKERS and DATABASE_URL: use these instead of starting a Kafka and Postgres of its own.`;

export { UsageError };

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const options: BenchOptions = {
    orders: 10_000,
    sellers: 300,
    seed: 1,
    duplicates: 0,
    variants: [...VARIANTS],
    timeoutSeconds: 600,
    serviceEnv: {},
    keep: false,
    profile: false,
    experiments: {},
  };
  for (const flag of flags(argv)) {
    switch (flag.name) {
      case '-h':
      case '--help':
        return 'help';
      case '--orders':
        options.orders = flag.integer(1, 10_000_000);
        break;
      case '--sellers':
        options.sellers = flag.integer(1, 100_000);
        break;
      case '--seed':
        options.seed = flag.integer(0, 2 ** 31);
        break;
      case '--duplicates':
        options.duplicates = flag.decimal(0, 1);
        break;
      case '--variants': {
        const names = flag.list();
        const unknown = names.filter((n) => !(VARIANTS as readonly string[]).includes(n));
        if (unknown.length > 0 || names.length === 0) throw new UsageError(`--variants takes ${VARIANTS.join(', ')}; not ${unknown.join(', ') || '(none)'}`);
        options.variants = [...new Set(names)] as VariantName[];
        break;
      }
      case '--timeout':
        options.timeoutSeconds = flag.integer(10, 24 * 3600);
        break;
      case '--chunk-size':
        options.serviceEnv.CONSUMER_CHUNK_SIZE = String(flag.integer(1, 10_000));
        break;
      case '--service-env': {
        const pair = flag.value();
        const eq = pair.indexOf('=');
        if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, eq))) throw new UsageError(`--service-env takes NAME=value, not ${pair}`);
        options.serviceEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--try-concurrency':
        options.experiments.partitionsConsumedConcurrently = flag.integer(1, 64);
        break;
      case '--try-max-bytes-per-partition':
        options.experiments.maxBytesPerPartition = flag.integer(1024, 1024 ** 3);
        break;
      case '--try-max-bytes':
        options.experiments.maxBytes = flag.integer(1024, 1024 ** 3);
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--profile':
        options.profile = true;
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
