import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { columns, connection, parseArgs } from './cli-support';
import { DeadLetter, DeadLetterFilter, findDeadLetters, readDeadLetters, readSetAside, replayDeadLetters, resolveSetAside, whyNotReplayable } from './dead-letters';

/**
 * `npm run deadletters -- …`: what the consumers refused and the records set aside, and acting on
 * them once the cause is fixed. Against the platform `npm start` runs here unless DATABASE_URL and
 * KAFKA_BROKERS say otherwise.
 */
const USAGE = `usage:
  npm run deadletters -- list [--group G] [--code C] [--since <ISO time>]
      counts by group and reason code, then each dead letter; then what is set aside in the databases
  npm run deadletters -- show <id>
      one dead letter whole: reason, field errors, source position, headers, value
  npm run deadletters -- replay <id> [<id> …] | --code C [--group G] [--since <ISO time>]  [--dry-run]
      sends the original records back to their source topics (same key, headers and ids: the
      consumers' inbox still applies each once, however often it is replayed)
  npm run deadletters -- resend --schema S <outbox seq> [<seq> …]
      puts set-aside outbox rows back in line for the relay (after raising the topic's limit, say)
  npm run deadletters -- discard --schema S --outbox <seq>[,<seq>…] | --dead-letter <id>[,<id>…] --yes
      deletes set-aside rows, printing each as it was
ids of dead letters look like niryat.deadletter.exports.partner-orders.v1/0/17 (see list).`;

/** A day (UTC midnight) or a time with its offset: never a time read in this machine's zone. */
const ISO_DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const since = (value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!ISO_DAY_OR_TIME.test(value) || Number.isNaN(at.getTime())) {
    throw new Error(`--since must be a day (2026-12-06, from midnight UTC) or a time with its offset (2026-12-06T10:00:00Z, 2026-12-06T15:30:00+05:30), not ${value}`);
  }
  return at;
};
const numbers = (list: readonly string[], what: string): string[] => {
  const bad = list.filter((n) => !/^[1-9]\d{0,18}$/.test(n));
  if (bad.length > 0 || list.length === 0) throw new Error(`${what} must be one or more row numbers${bad.length > 0 ? `, not ${bad.join(', ')}` : ''}`);
  return [...list];
};
const oneLine = (text: string, max = 100) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function summary(letters: readonly DeadLetter[]): string {
  const counts = new Map<string, number>();
  for (const l of letters) counts.set(`${l.group}\u0000${l.code}`, (counts.get(`${l.group}\u0000${l.code}`) ?? 0) + 1);
  const byCount = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([k, n]) => [...k.split('\u0000'), String(n)]);
  return columns(['group', 'code', 'dead letters'], byCount);
}

function listing(letters: readonly DeadLetter[]): string {
  return columns(
    ['id', 'failed at', 'code', 'source', 'key', 'replayable', 'reason'],
    letters.map((l) => [l.id, l.failedAt, l.code, `${l.source.topic}[${l.source.partition}]@${l.source.offset}`, l.key ?? '-', whyNotReplayable(l) ? 'no' : 'yes', oneLine(l.reason)]),
  );
}

function detail(l: DeadLetter): string {
  let value = l.value ?? '(not kept)';
  try {
    if (l.value !== null) value = JSON.stringify(JSON.parse(l.value), null, 2);
  } catch {
    // not JSON: shown as it is
  }
  return [
    `id          ${l.id}`,
    `group       ${l.group}`,
    `code        ${l.code}`,
    `failed at   ${l.failedAt}`,
    `source      ${l.source.topic}[${l.source.partition}]@${l.source.offset}`,
    `key         ${l.key ?? '-'}`,
    `replayable  ${whyNotReplayable(l) ? `no: ${whyNotReplayable(l)}` : 'yes'}`,
    `reason      ${l.reason}`,
    ...(l.errors ? [`errors      ${l.errors}`] : []),
    'headers',
    ...Object.entries(l.headers).map(([name, v]) => `  ${name}: ${v}`),
    'value',
    value,
  ].join('\n');
}

async function main(): Promise<number> {
  const { command, positional, flags } = parseArgs(process.argv.slice(2), ['yes', 'help', 'dry-run'], USAGE);
  if (flags.has('help') || !command || !['list', 'show', 'replay', 'resend', 'discard'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    return flags.has('help') ? 0 : 2;
  }
  const { databaseUrl, brokers } = connection();
  const kafka = new Kafka({ clientId: 'niryat-deadletters-cli', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl });
  await admin.connect();
  try {
    const out = (text: string) => process.stdout.write(`${text}\n`);
    if (command === 'list') {
      const filter: DeadLetterFilter = { group: flags.get('group'), code: flags.get('code'), since: since(flags.get('since')) };
      const letters = await readDeadLetters(kafka, admin, filter);
      out(letters.length === 0 ? 'no dead letters' : `${summary(letters)}\n\n${listing(letters)}`);
      const aside = await readSetAside(await dataSource.initialize());
      if (aside.length > 0) {
        out(`\nset aside in the databases (the broker would not take them; see resend and discard):`);
        out(columns(['schema', 'kind', 'id', 'set aside at', 'topic', 'key', 'type or code', 'error'], aside.map((r) => [r.schema, r.kind, r.id, r.setAsideAt, r.topic, r.key ?? '-', r.what, oneLine(r.error, 80)])));
      }
      return 0;
    }
    if (command === 'show') {
      if (positional.length !== 1) throw new Error(`show takes one id\n${USAGE}`);
      const [letter] = await findDeadLetters(kafka, admin, positional);
      out(detail(letter));
      return 0;
    }
    if (command === 'replay') {
      const byFilter = flags.has('code') || flags.has('since') || flags.has('group');
      if (byFilter === (positional.length > 0)) throw new Error(`replay takes ids, or --code (with --group or --since), not both nor neither\n${USAGE}`);
      if (byFilter && !flags.has('code')) throw new Error('replay by filter needs --code: replaying every dead letter of a group at once is rarely what is meant');
      const letters = byFilter
        ? await readDeadLetters(kafka, admin, { group: flags.get('group'), code: flags.get('code'), since: since(flags.get('since')) })
        : await findDeadLetters(kafka, admin, positional);
      if (letters.length === 0) {
        out('no dead letter matches');
        return 0;
      }
      if (flags.has('dry-run')) {
        const skipped = letters.map((l) => [l.id, whyNotReplayable(l)] as const).filter(([, why]) => why !== null);
        for (const [id, why] of skipped) out(`would skip ${id}: ${why}`);
        out(`${listing(letters)}\nwould replay ${letters.length - skipped.length} of ${letters.length}: run again without --dry-run`);
        return 0;
      }
      const results = await replayDeadLetters(kafka, letters);
      for (const { letter, outcome } of results) {
        if (outcome === 'replayed') out(`replayed  ${letter.id} → ${letter.source.topic}`);
        else if ('skipped' in outcome) out(`skipped   ${letter.id}: ${outcome.skipped}`);
        else out(`failed    ${letter.id}: ${outcome.failed}`);
      }
      const replayed = results.filter((r) => r.outcome === 'replayed').length;
      const failed = results.filter((r) => r.outcome !== 'replayed' && 'failed' in r.outcome).length;
      out(`${replayed} replayed, ${results.length - replayed - failed} skipped, ${failed} not sent; a replayed record the consumer refuses again comes back as a new dead letter`);
      return failed > 0 ? 1 : replayed < results.length ? 3 : 0;
    }
    const schema = flags.get('schema');
    if (!schema) throw new Error(`${command} needs --schema (the service's schema: onboarding, exports, training, reporting)\n${USAGE}`);
    await dataSource.initialize();
    if (command === 'resend') {
      const rows = await resolveSetAside(dataSource, schema, 'outbox', numbers(positional, 'resend'), 'resend');
      for (const r of rows) out(`back in line  ${schema}.outbox ${String(r.id)} (${String(r.type)}, ${String(r.topic)} key ${String(r.key)})`);
      out(`${rows.length} row(s) back in line: the relay sends them next, in their key's order`);
      return 0;
    }
    const kind = flags.has('outbox') ? 'outbox' : flags.has('dead-letter') ? 'dead-letter' : undefined;
    if (!kind || (flags.has('outbox') && flags.has('dead-letter')) || positional.length > 0) throw new Error(`discard takes --outbox <seqs> or --dead-letter <ids>\n${USAGE}`);
    const ids = numbers((flags.get(kind) ?? '').split(',').filter(Boolean), `--${kind}`);
    if (!flags.has('yes')) {
      const rows = (await readSetAside(dataSource, schema)).filter((r) => r.kind === kind && ids.includes(r.id));
      out(`${columns(['schema', 'kind', 'id', 'topic', 'key', 'type or code', 'error'], rows.map((r) => [r.schema, r.kind, r.id, r.topic, r.key ?? '-', r.what, oneLine(r.error, 80)]))}`);
      out(`would delete these ${rows.length} of ${ids.length}: run again with --yes`);
      return 2;
    }
    const dropped = await resolveSetAside(dataSource, schema, kind, ids, 'discard');
    for (const r of dropped) out(`discarded ${JSON.stringify(r)}`);
    out(`${dropped.length} set-aside row(s) of ${schema} discarded`);
    return 0;
  } finally {
    await admin.disconnect();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[deadletters] ${(error as Error).message}\n`);
    process.exit(1);
  },
);
