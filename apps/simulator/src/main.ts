import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { localTarget } from './platform';
import { simulate, SimulationOptions, SimulationRecord, Transport } from './simulation';
import { verify } from './verify';

const ROOT = join(__dirname, '..', '..', '..');
/** Where runs' records and the partner keys are kept: npm start's local data unless NIRYAT_SIMULATOR_DIR says otherwise. */
const RUNS_DIR = process.env.NIRYAT_SIMULATOR_DIR ?? join(ROOT, '.local', 'dev', 'simulator');

const USAGE = `usage:
  npm run simulate -- [run] [options]      create a world and send its order stream, keeping the truth of it
  npm run simulate -- verify [--tag T] [--wait S]   compare the platform with the truth of a run (the latest by default)

Against the platform of npm start (or NIRYAT_<SERVICE>_URL, NIRYAT_<ROLE>_TOKEN, KAFKA_BROKERS,
KAFKA_TOPIC_NAMESPACE). Every run creates its own world: programmes sim-<tag>-ags, -odop and
-vriddhi, sellers with valid GSTINs, PANs and Udyam numbers (Uttar Pradesh heavy), enrolments,
marketplace accounts on Amazon, Flipkart and Walmart, and the reference rates its orders need.

run options:
  --seed N            the same world and stream for the same seed (default 1)
  --tag T             names the world (default s<seed>); a tag can be used once per platform
  --sellers N         sellers (default 24)
  --orders N          orders (default 300); each is 2 to 6 events
  --rate N|max        events per second (default max)
  --window-days N     shipments over the last N days (default 120, at least 20)
  --duplicates X      share of events sent twice (default 0)
  --reorder X         share of orders whose events arrive shuffled (default 0)
  --garbage X         garbage records per event: not JSON, wrong shape, impossible dates,
                      another marketplace's seller, unknown accounts (default 0)
  --transport T       kafka, http (signed partner ingest) or mixed (default mixed)
  --late-links X      share of accounts linked half-way, their events parked meanwhile (default 0.1)
  --verify            verify when sent (waits up to --wait seconds, default 120)
  --quiet             the summary only

verify exits 0 when the platform shows exactly the truth, 1 with every difference printed.`;

interface Parsed {
  command: 'run' | 'verify' | 'help';
  options: Omit<SimulationOptions, 'log' | 'keysFile' | 'recordFile'>;
  tag?: string;
  verifyAfter: boolean;
  waitSeconds: number;
  quiet: boolean;
}

export function parseArgs(argv: readonly string[]): Parsed {
  const parsed: Parsed = {
    command: 'run',
    options: { seed: 1, sellers: 24, orders: 300, rate: 'max', windowDays: 120, duplicates: 0, reorder: 0, garbage: 0, transport: 'mixed', lateLinks: 0.1 },
    verifyAfter: false,
    waitSeconds: 120,
    quiet: false,
  };
  const args = [...argv];
  if (args[0] === 'run' || args[0] === 'verify') parsed.command = args.shift() as 'run' | 'verify';
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new Error(`${flag} needs a value\n${USAGE}`);
      return args[++i];
    };
    const number = (min: number, max: number, integer = false) => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
        throw new Error(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not ${raw}`);
      }
      return n;
    };
    if (flag === '--help' || flag === '-h') parsed.command = 'help';
    else if (flag === '--seed') parsed.options.seed = number(0, 2 ** 31, true);
    else if (flag === '--tag') {
      const tag = value();
      if (!/^[a-z0-9]{1,12}$/.test(tag)) throw new Error(`--tag must be 1 to 12 lower-case letters and digits, not ${tag}`);
      parsed.tag = tag;
    } else if (flag === '--sellers') parsed.options.sellers = number(1, 5_000, true);
    else if (flag === '--orders') parsed.options.orders = number(1, 5_000_000, true);
    else if (flag === '--rate') parsed.options.rate = args[i + 1] === 'max' ? (i++, 'max') : number(1, 1_000_000);
    else if (flag === '--window-days') parsed.options.windowDays = number(20, 3_000, true);
    else if (flag === '--duplicates') parsed.options.duplicates = number(0, 1);
    else if (flag === '--reorder') parsed.options.reorder = number(0, 1);
    else if (flag === '--garbage') parsed.options.garbage = number(0, 1);
    else if (flag === '--late-links') parsed.options.lateLinks = number(0, 1);
    else if (flag === '--transport') {
      const transport = value();
      if (!['kafka', 'http', 'mixed'].includes(transport)) throw new Error(`--transport must be kafka, http or mixed, not ${transport}`);
      parsed.options.transport = transport as Transport;
    } else if (flag === '--verify') parsed.verifyAfter = true;
    else if (flag === '--wait') parsed.waitSeconds = number(0, 3_600, true);
    else if (flag === '--quiet') parsed.quiet = true;
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  parsed.options.tag = parsed.tag;
  return parsed;
}

function latestRecord(tag?: string): SimulationRecord {
  let file: string | undefined;
  if (tag) file = join(RUNS_DIR, `${tag}.json`);
  else {
    const runs = (() => {
      try {
        return readdirSync(RUNS_DIR).filter((f) => f.endsWith('.json') && f !== 'partner-keys.json');
      } catch {
        return [];
      }
    })();
    file = runs.map((f) => join(RUNS_DIR, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  }
  if (!file) throw new Error('no simulation has run on this platform yet: npm run simulate first');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SimulationRecord;
  } catch {
    throw new Error(`no record of a run ${tag} (${file})`);
  }
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const target = localTarget();
  const log = (line: string) => process.stdout.write(`[simulate] ${line}\n`);
  const quietLog = parsed.quiet ? () => undefined : log;
  let record: SimulationRecord;
  if (parsed.command === 'run') {
    const tag = parsed.tag ?? `s${parsed.options.seed}`;
    record = await simulate(target, { ...parsed.options, log: quietLog, keysFile: join(RUNS_DIR, 'partner-keys.json'), recordFile: join(RUNS_DIR, `${tag}.json`) });
    if (!parsed.verifyAfter) {
      log(`sent ${record.sent.events} records for world ${record.tag}; npm run simulate -- verify --tag ${record.tag} compares the platform with the truth`);
      return 0;
    }
  } else {
    record = latestRecord(parsed.tag);
  }
  const report = await verify(target, record, parsed.waitSeconds, quietLog);
  const { checked } = report;
  for (const line of report.differences) log(`DIFFERENCE ${line}`);
  const { views } = checked;
  const viewsChecked = !views || views.skipped
    ? `funnel and progress not checked: ${views?.skipped ?? 'the platform could not be read'}`
    : `seller funnel: ${views.funnelRows} API rows and ${views.funnelTopicRows} topic rows; progress with ${views.milestones} milestones`;
  log(
    `verify ${record.tag}: ${report.differences.length === 0 ? 'no difference' : `${report.differences.length} difference(s)`} ` +
      `(${checked.rows} API rows and ${checked.topicRows} topic rows of ${checked.programmes} programmes, ${checked.deadLetters} dead letters, ${checked.parked} parked events checked; ${viewsChecked})`,
  );
  return report.differences.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`[simulate] ${(error as Error).message}\n`);
      process.exit(2);
    },
  );
}
