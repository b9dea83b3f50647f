#!/usr/bin/env node
'use strict';
// node tools/infra/cli.js start|stop|status|verify [--profile dev|test] [--dir <path>] [--json]
// (also `npm run infra -- <command> ...`)

const path = require('node:path');
const { Client } = require('pg');
const { startInfra, stopInfra, statusInfra, readInfra, maskUrl } = require('./index');
const { kafkaVersion } = require('./kafka');
const { verifyKafka } = require('./verify-kafka');

const USAGE = `usage: node tools/infra/cli.js <start|stop|status|verify> [--profile dev|test] [--dir <path>] [--json]

  start   start Kafka and PostgreSQL (no-op for whatever already runs), wait until both answer
  stop    stop both (graceful, then forced after a grace period)
  status  show what runs where; exit 3 if something is not running
  verify  smoke-test kafkajs against the running broker and check PostgreSQL answers

  profile dev  (default) data in .local/dev; ports NIRYAT_KAFKA_PORT (9092),
               NIRYAT_KAFKA_CONTROLLER_PORT (9093), NIRYAT_PG_PORT (5433)
  profile test data in --dir (default .local/test); free ports, recorded in <dir>/infra.json
  DATABASE_URL set: no local PostgreSQL is started; that database is checked and used`;

function parseArgs(argv) {
  const args = { command: null, profile: 'dev', dir: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--profile') args.profile = value();
    else if (a.startsWith('--profile=')) args.profile = a.slice(10);
    else if (a === '--dir') args.dir = value();
    else if (a.startsWith('--dir=')) args.dir = a.slice(6);
    else if (a === '--json') args.json = true;
    else if (a === '-h' || a === '--help') args.command = 'help';
    else if (!args.command) args.command = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  return args;
}

const rel = (p) => (p ? path.relative(process.cwd(), p) || '.' : '-');
const say = (line) => process.stdout.write(`${line}\n`);
const log = (line) => process.stderr.write(`[infra] ${line}\n`);

async function start(args) {
  const info = await startInfra({ profile: args.profile, dir: args.dir, log });
  if (args.json) return say(JSON.stringify(info, null, 2));
  const state = (started, pid) => (started ? `started (pid ${pid})` : `already running (pid ${pid})`);
  say(`Kafka ${kafkaVersion()}  ${info.kafka.brokers}  ${state(info.startedKafka, info.kafka.pid)}`);
  say(`  data ${rel(info.kafka.dataDir)}  log ${rel(info.kafka.logFile)}`);
  if (info.postgres.external) {
    say(`PostgreSQL  ${maskUrl(info.postgres.url)}  external (DATABASE_URL), answers`);
  } else {
    say(`PostgreSQL  ${maskUrl(info.postgres.url)}  ${state(info.startedPostgres, info.postgres.pid)}`);
    say(`  data ${rel(info.postgres.pgdata)}  log ${rel(info.postgres.logFile)}`);
  }
  say(`Recorded in ${rel(path.join(info.dir, 'infra.json'))}`);
}

async function stop(args) {
  const result = await stopInfra({ profile: args.profile, dir: args.dir });
  if (args.json) return say(JSON.stringify(result, null, 2));
  say(`Kafka ${result.stoppedKafka ? 'stopped' : 'was not running'}`);
  say(`PostgreSQL ${result.stoppedPostgres ? 'stopped' : 'was not running'}`);
}

function status(args) {
  const s = statusInfra({ profile: args.profile, dir: args.dir });
  const external = process.env.DATABASE_URL;
  if (args.json) say(JSON.stringify(s, null, 2));
  else {
    say(`dir ${rel(s.dir)}`);
    const { kafka: k, postgres: pg } = s;
    say(k.running ? `Kafka  running  ${k.brokers}  pid ${k.pid}  log ${rel(k.serverLog)}` : 'Kafka  not running');
    if (external) say(`PostgreSQL  external DATABASE_URL ${maskUrl(external)}`);
    else if (!pg.running) say('PostgreSQL  not running');
    else say(`PostgreSQL  running  ${maskUrl(pg.url)}  pid ${pg.pid}  log ${rel(pg.logFile)}`);
  }
  if (!s.kafka.running || (!external && !s.postgres.running)) process.exitCode = 3;
}

async function verify(args) {
  const s = statusInfra({ profile: args.profile, dir: args.dir });
  const recorded = readInfra(s.dir);
  if (!s.kafka.running) throw new Error(`Kafka is not running for ${rel(s.dir)}; run start first`);
  const url = process.env.DATABASE_URL || (recorded && recorded.postgres.url) || s.postgres.url;
  if (!url) throw new Error(`PostgreSQL is not running for ${rel(s.dir)}; run start first`);

  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  const { rows } = await client.query('SELECT current_database() AS db, version() AS version');
  await client.end();
  say(`ok   PostgreSQL ${maskUrl(url)}: database ${rows[0].db}, ${rows[0].version.split(' on ')[0]}`);

  const result = await verifyKafka({ brokers: s.kafka.brokers, log: say });
  if (args.json) say(JSON.stringify(result, null, 2));
  say(result.ok ? `kafkajs verification passed against Kafka ${kafkaVersion()} at ${s.kafka.brokers}` : 'kafkajs verification FAILED');
  if (!result.ok) process.exitCode = 1;
}

// `cli.js status | head -1` should end quietly, not with an EPIPE stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw err;
});

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const commands = { start, stop, status, verify };
  if (!commands[args.command]) {
    say(USAGE);
    process.exitCode = args.command === 'help' ? 0 : 2;
    return;
  }
  await commands[args.command](args);
}

main().catch((err) => {
  process.stderr.write(`[infra] ${err.message}\n`);
  process.exitCode = 1;
});
