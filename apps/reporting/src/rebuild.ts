import 'reflect-metadata';
import { ownedBy, topicSpecsOf } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { databaseTlsOf, loadEnvOrExit, messagingConfigOf, schemaOfService } from '@niryat/platform';
import { SERVICE } from './app.module';
import { progressLine, thousands } from './rebuild/progress-line';
import { rebuildReportingViews } from './rebuild/rebuild-views';
import { ReportingEnv } from './reporting.env';

const HELP = `usage: npm run rebuild:reporting [-- --keep-replaced] [--swap-wait-ms N]

Rebuilds every reporting view from offset zero of the domain topics into a fresh schema while the
service keeps running, then swaps it in atomically. Configuration: the reporting service's
environment (DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_NAMESPACE, DB_SCHEMA, CONSUMER_CHUNK_SIZE).
  --keep-replaced     keep the former schema as <schema>_replaced_<stamp> instead of dropping it
  --swap-wait-ms N    longest pause of the live consumers during the swap (default 10000)
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const unknown = args.filter((a, i) => !['--keep-replaced', '--swap-wait-ms'].includes(a) && args[i - 1] !== '--swap-wait-ms');
  const waitArg = args.includes('--swap-wait-ms') ? Number(args[args.indexOf('--swap-wait-ms') + 1]) : undefined;
  if (unknown.length > 0 || (waitArg !== undefined && !(Number.isInteger(waitArg) && waitArg > 0))) {
    process.stderr.write(`${unknown.length ? `unknown argument(s): ${unknown.join(' ')}` : '--swap-wait-ms needs a positive integer'}\n\n${HELP}`);
    process.exit(2);
  }

  const env = loadEnvOrExit(ReportingEnv, SERVICE);
  const kafka = new KafkaClient(messagingConfigOf('reporting-rebuild', env));
  const live = schemaOfService(SERVICE, env);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  try {
    // As the service does on start: a platform with no traffic yet may not have every topic.
    await kafka.ensureTopics(topicSpecsOf('reporting'), { mayCreate: ownedBy('reporting', topicSpecsOf('reporting')) });
    const result = await rebuildReportingViews({
      databaseUrl: env.DATABASE_URL,
      databaseSsl: databaseTlsOf(env),
      kafka,
      liveSchema: live,
      chunkSize: env.CONSUMER_CHUNK_SIZE,
      keepReplaced: args.includes('--keep-replaced'),
      swapWaitMs: waitArg,
      onProgress: (p) => {
        // A terminal gets one line redrawn; a log gets a line every five seconds and at each phase.
        if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K${p.phase === 'done' ? '\n' : ''}`);
        else if (p.phase !== 'replaying' || Date.now() - lastLine >= 5_000) {
          lastLine = Date.now();
          process.stderr.write(`${progressLine(p)}\n`);
        }
      },
    });
    process.stdout.write(
      `reporting: views rebuilt from the log (${thousands(result.applied)} records in ${result.seconds.toFixed(1)} s) and swapped into schema "${live}"` +
        `${result.replacedSchema ? `; the former views are kept in "${result.replacedSchema}"` : ''}\n`,
    );
  } finally {
    await kafka.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`\nreporting rebuild failed, the live views are unchanged: ${error.message}\n`);
  process.exit(1);
});
