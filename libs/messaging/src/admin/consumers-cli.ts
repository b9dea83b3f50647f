import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { columns, connection, parseArgs } from './cli-support';
import { PositionRow, readPositions, resetPositions } from './consumer-positions';

/**
 * `npm run consumers -- positions [--group G] [--schema S]` and
 * `npm run consumers -- reset --group G --to earliest|latest|<offset> [--topic T] [--partition P] [--schema S] --yes`:
 * every consumer group's stored positions against the log, and moving them when they do not fit
 * (a topic recreated, a cluster replaced). Against the platform `npm start` runs here unless
 * DATABASE_URL and KAFKA_BROKERS say otherwise. Exit 3 when `positions` finds one that does not fit.
 */
const USAGE = `usage:
  npm run consumers -- positions [--group G] [--schema S]
  npm run consumers -- reset --group G --to earliest|latest|<offset> [--topic T] [--partition P] [--schema S] --yes
reset needs the services consuming with the group stopped; for reporting, npm run rebuild:reporting is the usual remedy.`;

function table(rows: readonly PositionRow[]): string {
  const header = ['schema', 'group', 'topic[partition]', 'stored', 'committed', 'log start', 'log end', 'lag', 'status'];
  return columns(header, rows.map((r) => [r.schema, r.group, `${r.topic}[${r.partition}]`, r.stored, r.committed ?? '-', r.logStart ?? '-', r.logEnd ?? '-', r.lag ?? '-', r.status]));
}

async function main(): Promise<number> {
  const { command = 'positions', positional, flags } = parseArgs(process.argv.slice(2), ['yes', 'help'], USAGE);
  if (positional.length > 0) throw new Error(`unexpected argument ${positional[0]}\n${USAGE}`);
  if (flags.has('help') || !['positions', 'reset'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    return flags.has('help') ? 0 : 2;
  }
  const { databaseUrl, brokers } = connection();
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
  const admin = new Kafka({ clientId: 'niryat-consumers-cli', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (command === 'positions') {
      const rows = await readPositions(dataSource, admin, { group: flags.get('group'), schema: flags.get('schema') });
      process.stdout.write(`${table(rows)}\n`);
      const wrong = rows.filter((r) => r.status !== 'ok');
      if (wrong.length > 0) process.stdout.write(`${wrong.length} position(s) do not fit the log: see reset (--help)\n`);
      return wrong.length > 0 ? 3 : 0;
    }
    const group = flags.get('group');
    const to = flags.get('to');
    if (!group || !to) throw new Error(`reset needs --group and --to\n${USAGE}`);
    if (!['earliest', 'latest'].includes(to) && !/^\d+$/.test(to)) throw new Error(`--to must be earliest, latest or an offset, not ${to}`);
    const partition = flags.has('partition') ? Number(flags.get('partition')) : undefined;
    if (partition !== undefined && !Number.isInteger(partition)) throw new Error('--partition must be a partition number');
    const request = { group, to: to === 'earliest' || to === 'latest' ? to : BigInt(to), topic: flags.get('topic'), partition, schema: flags.get('schema') } as const;
    if (!flags.has('yes')) {
      const rows = (await readPositions(dataSource, admin, { group, schema: request.schema })).filter(
        (r) => (request.topic === undefined || r.topic === request.topic) && (partition === undefined || r.partition === partition),
      );
      process.stdout.write(`${table(rows)}\nwould move these to ${to}: run again with --yes (the services consuming with ${group} stopped)\n`);
      return 2;
    }
    const { after } = await resetPositions(dataSource, admin, request);
    process.stdout.write(`${table(after)}\nmoved ${after.length} position(s) of ${group} to ${to}; start the services again\n`);
    return 0;
  } finally {
    await admin.disconnect();
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[consumers] ${(error as Error).message}\n`);
    process.exit(1);
  },
);
