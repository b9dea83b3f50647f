import { flags, UsageError } from '@niryat/testing';

export const SECTIONS = ['pipeline', 'ceiling', 'freshness', 'rebuild', 'scaling', 'naive'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  seed: number;
  sellers: number;
  orders: number;
  /** The naive chain's stream: the same world and mix, fewer orders (it runs at a few per cent of the pipeline's rate). */
  naiveOrders: number;
  duplicates: number;
  reorder: number;
  rates: number[];
  warmupSeconds: number;
  seconds: number;
  sections: Section[];
  timeoutSeconds: number;
  /** Extra environment for every service instance (--service-env NAME=value, repeatable). */
  serviceEnv: Record<string, string>;
  out?: string;
}

export const USAGE = `usage: npm run bench [-- options]

The whole platform on this machine, side by side in one run (apps/bench/README.md):
  pipeline   partner order events on the partner topic -> exports -> reporting -> in the report
             totals, events/s, with each service's peak resident memory and CPU
  ceiling    a consume-only kafkajs reader of the same records: the client's limit
  naive      the same stream through the naive chain: both services the naive NestJS way
  scaling    the pipeline again with two instances of exports and of reporting in their groups
  freshness  partner event produced -> in the report totals: p50/p95/p99 at each --rates
  rebuild    every reporting view rebuilt from the log into fresh views, events/s

options:
  --orders N          orders in the stream (default 30000; 2 to 6 events each)
  --naive-orders N    orders in the naive chain's stream: the same world and mix, fewer orders,
                      since it runs at a few per cent of the pipeline's rate (default 4000)
  --sellers N         sellers of the simulator's world (default 120)
  --seed N            world and stream (default 1)
  --duplicates X      share of events sent twice (default 0.02)
  --reorder X         share of orders whose events arrive shuffled (default 0.1)
  --rates LIST        offered events/s for freshness (default 500,2000,5000)
  --warmup S          seconds at each rate before measuring (default 5)
  --seconds S         measured seconds per rate (default 30)
  --sections LIST     some of ${SECTIONS.join(',')} (default all)
  --timeout S         longest wait for one timed run (default 900)
  --service-env N=V   extra environment for every service instance (repeatable), e.g.
                      CONSUMER_CHUNK_SIZE=2000 or NODE_OPTIONS=--max-old-space-size=256
  --out FILE          the JSON report (default artifacts/bench-<time>.json; the Markdown beside it)`;

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const options: BenchOptions = {
    seed: 1,
    sellers: 120,
    orders: 30_000,
    naiveOrders: 4_000,
    duplicates: 0.02,
    reorder: 0.1,
    rates: [500, 2_000, 5_000],
    warmupSeconds: 5,
    seconds: 30,
    sections: [...SECTIONS],
    timeoutSeconds: 900,
    serviceEnv: {},
  };
  for (const flag of flags(argv)) {
    switch (flag.name) {
      case '--help':
      case '-h':
        return 'help';
      case '--orders':
        options.orders = flag.integer(100, 5_000_000);
        break;
      case '--naive-orders':
        options.naiveOrders = flag.integer(100, 5_000_000);
        break;
      case '--sellers':
        options.sellers = flag.integer(10, 5_000);
        break;
      case '--seed':
        options.seed = flag.integer(0, 2 ** 31);
        break;
      case '--duplicates':
        options.duplicates = flag.decimal(0, 0.5);
        break;
      case '--reorder':
        options.reorder = flag.decimal(0, 1);
        break;
      case '--rates':
        options.rates = flag.list().map((r) => {
          const n = Number(r);
          if (!Number.isInteger(n) || n < 10 || n > 100_000) throw new UsageError(`--rates takes whole events/s from 10 to 100000, not ${r}`);
          return n;
        });
        break;
      case '--warmup':
        options.warmupSeconds = flag.integer(0, 300);
        break;
      case '--seconds':
        options.seconds = flag.integer(5, 3_600);
        break;
      case '--sections': {
        const asked = flag.list();
        const unknown = asked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
        if (unknown.length > 0 || asked.length === 0) throw new UsageError(`--sections takes some of ${SECTIONS.join(', ')}, not ${unknown.join(', ') || 'nothing'}`);
        options.sections = SECTIONS.filter((s) => asked.includes(s));
        break;
      }
      case '--timeout':
        options.timeoutSeconds = flag.integer(30, 7_200);
        break;
      case '--service-env': {
        const pair = flag.value();
        const at = pair.indexOf('=');
        if (at < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, at))) throw new UsageError(`--service-env takes NAME=value, not ${pair}`);
        options.serviceEnv[pair.slice(0, at)] = pair.slice(at + 1);
        break;
      }
      case '--out':
        options.out = flag.value();
        break;
      default:
        throw flag.unknown();
    }
  }
  return options;
}
