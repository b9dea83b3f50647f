import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { findEventDefinition, parsePayload } from '@niryat/contracts';
import { DEAD_LETTER_RETENTION_DAYS, DLQ } from '../consumer/dead-letter-publisher';

const DEAD_LETTER_TOPIC = /^(.*?)niryat\.deadletter\.(.+)\.v1$/;

/** One record of a dead-letter topic, as an operator reads and acts on it. */
export interface DeadLetter {
  /** `<dead-letter topic>/<partition>/<offset>`: stable for as long as the record is kept. */
  id: string;
  /** The consumer group that refused it (without the topic namespace). */
  group: string;
  code: string;
  reason: string;
  /** Field errors (MESSAGING.INVALID_PAYLOAD), as the consumer gave them. */
  errors: string | null;
  failedAt: string;
  source: { topic: string; partition: number; offset: string };
  key: string | null;
  /** The original value; null when it was too large to keep (see `notReplayable`). */
  value: string | null;
  /** The original headers, without the dead-letter ones. */
  headers: Record<string, string>;
  /** Why it cannot be sent back as it was: its value or a header was not kept whole. */
  notReplayable: string | null;
}

export interface DeadLetterFilter {
  /** A consumer group, with or without its topic namespace. */
  group?: string;
  code?: string;
  /** Only dead letters that failed at or after this instant. */
  since?: Date;
}

const text = (value: Buffer | string | (Buffer | string)[] | undefined): string =>
  value === undefined ? '' : Array.isArray(value) ? value.map((v) => v.toString()).join(',') : value.toString();

function toDeadLetter(topic: string, group: string, partition: number, message: KafkaMessage): DeadLetter {
  const all: IHeaders = message.headers ?? {};
  const dlq = (name: string) => (all[name] === undefined ? null : text(all[name]));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) if (!name.startsWith('niryat_dlq_')) headers[name] = text(value);
  const truncatedHeaders = dlq(DLQ.headersTruncated);
  const valueBytes = dlq(DLQ.valueBytes);
  const notReplayable =
    valueBytes !== null
      ? `its value was not kept (${valueBytes} bytes, sha256 ${dlq(DLQ.valueSha256)}): the original is at ${dlq(DLQ.topic)}[${dlq(DLQ.partition)}]@${dlq(DLQ.offset)}`
      : truncatedHeaders !== null
        ? `header(s) ${truncatedHeaders} were not kept whole`
        : null;
  return {
    id: `${topic}/${partition}/${message.offset}`,
    group,
    code: dlq(DLQ.code) ?? '(none)',
    reason: dlq(DLQ.reason) ?? '',
    errors: dlq(DLQ.errors),
    failedAt: dlq(DLQ.failedAt) ?? new Date(Number(message.timestamp)).toISOString(),
    source: { topic: dlq(DLQ.topic) ?? '', partition: Number(dlq(DLQ.partition) ?? -1), offset: dlq(DLQ.offset) ?? '' },
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ? message.value.toString('utf8') : null,
    headers,
    notReplayable,
  };
}

/** The dead-letter topics on the cluster, with the group each belongs to. */
export async function deadLetterTopics(admin: Admin, group?: string): Promise<{ topic: string; group: string }[]> {
  const topics = (await admin.listTopics())
    .map((topic) => ({ topic, match: DEAD_LETTER_TOPIC.exec(topic) }))
    .filter((t): t is { topic: string; match: RegExpExecArray } => t.match !== null)
    .map(({ topic, match }) => ({ topic, group: match[2], namespaced: `${match[1]}${match[2]}` }));
  return topics
    .filter((t) => group === undefined || t.group === group || t.namespaced === group)
    .map(({ topic, group: g }) => ({ topic, group: g }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

/**
 * Every record of the given topics' partitions, from the log start to the end as it was when the
 * read began (topics that do not exist give nothing). A throwaway consumer group reads them and is
 * deleted afterwards. For operator tools and checks that read a topic whole, not for services.
 */
export async function readTopicsToEnd(kafka: Kafka, admin: Admin, topics: readonly string[]): Promise<{ topic: string; partition: number; message: KafkaMessage }[]> {
  const pending = new Map<string, bigint>();
  const existing = new Set(await admin.listTopics());
  for (const topic of topics.filter((t) => existing.has(t))) {
    for (const o of await admin.fetchTopicOffsets(topic)) if (o.high !== o.low) pending.set(`${topic}/${o.partition}`, BigInt(o.high));
  }
  if (pending.size === 0) return [];
  const groupId = `niryat-topic-reader-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId });
  const read: { topic: string; partition: number; message: KafkaMessage }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set([...pending.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${topics.join(', ')}: ${pending.size} partition(s) not read to their end`)), 60_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const high = pending.get(`${topic}/${partition}`);
            if (high === undefined) return;
            if (BigInt(message.offset) < high) read.push({ topic, partition, message });
            if (BigInt(message.offset) + 1n >= high) pending.delete(`${topic}/${partition}`);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return read;
}

/** Dead letters of every group (or the filtered ones), oldest first per topic. */
export async function readDeadLetters(kafka: Kafka, admin: Admin, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const topics = await deadLetterTopics(admin, filter.group);
  const groupOf = new Map(topics.map((t) => [t.topic, t.group]));
  const letters = (await readTopicsToEnd(kafka, admin, topics.map((t) => t.topic))).map(({ topic, partition, message }) =>
    toDeadLetter(topic, groupOf.get(topic) ?? '', partition, message),
  );
  return letters
    .filter((l) => filter.code === undefined || l.code === filter.code)
    .filter((l) => filter.since === undefined || Date.parse(l.failedAt) >= filter.since.getTime())
    .sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
}

/** The dead letters with these ids, or an error naming the ids not found. */
export async function findDeadLetters(kafka: Kafka, admin: Admin, ids: readonly string[]): Promise<DeadLetter[]> {
  const topics = [...new Set(ids.map((id) => id.split('/')[0]))];
  const known = new Map((await deadLetterTopics(admin)).map((t) => [t.topic, t.group]));
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length > 0) throw new Error(`no dead-letter topic ${unknown.join(', ')} (ids look like <dead-letter topic>/<partition>/<offset>; see list)`);
  const byId = new Map(
    (await readTopicsToEnd(kafka, admin, topics)).map(({ topic, partition, message }) => {
      const letter = toDeadLetter(topic, known.get(topic) ?? '', partition, message);
      return [letter.id, letter];
    }),
  );
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new Error(`no dead letter ${missing.join(', ')} (expired by the topic's retention, or never there)`);
  return ids.map((id) => byId.get(id) as DeadLetter);
}

export interface ReplayResult {
  letter: DeadLetter;
  /** Sent back to its source topic, or why not (skipped before sending, failed while sending). */
  outcome: 'replayed' | { skipped: string } | { failed: string };
}

/** Bytes of records one replay request carries at most. */
const REPLAY_SEND_BYTES = 512 * 1024;

/**
 * Why a dead letter cannot be replayed, or null: its value or headers were not kept whole, it names
 * no source, or it is older than the dead letters' retention, past which the other groups reading
 * its topic may have forgotten the original (their inbox keeps a day longer than that) and would
 * apply it again.
 */
export function whyNotReplayable(letter: DeadLetter, now = Date.now()): string | null {
  if (letter.notReplayable) return letter.notReplayable;
  if (letter.source.topic === '') return 'it names no source topic';
  const age = now - Date.parse(letter.failedAt);
  if (age > DEAD_LETTER_RETENTION_DAYS * 86_400_000) {
    return `it failed more than ${DEAD_LETTER_RETENTION_DAYS} days ago: groups that applied the original may have forgotten it and would apply it again; send a corrected event under a new id instead`;
  }
  return null;
}

/**
 * Sends dead letters back to their source topics exactly as they first arrived: same key, value
 * and headers (CloudEvents id included), so each consumer group's inbox still applies each event
 * once however often it is replayed (the groups that applied the original drop it as a duplicate).
 * Refused events are never in the inbox, so a replayed one is applied once its cause is fixed.
 * Sent in order, in requests of at most 512 KiB; after a failed request the rest are not sent, and
 * each result says which went.
 */
export async function replayDeadLetters(kafka: Kafka, letters: readonly DeadLetter[]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = letters.map((letter) => {
    const why = whyNotReplayable(letter);
    return { letter, outcome: why === null ? 'replayed' : { skipped: why } };
  });
  const sendable = results.filter((r) => r.outcome === 'replayed');
  if (sendable.length === 0) return results;
  const batches: ReplayResult[][] = [];
  let bytes = Infinity;
  for (const r of sendable) {
    const size = (r.letter.value?.length ?? 0) + Object.entries(r.letter.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    if (bytes + size > REPLAY_SEND_BYTES) {
      batches.push([]);
      bytes = 0;
    }
    batches[batches.length - 1].push(r);
    bytes += size;
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    let failure: string | undefined;
    for (const batch of batches) {
      if (failure === undefined) {
        try {
          const byTopic = new Map<string, DeadLetter[]>();
          for (const { letter } of batch) byTopic.set(letter.source.topic, [...(byTopic.get(letter.source.topic) ?? []), letter]);
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map((l) => ({ key: l.key, value: l.value, headers: l.headers })) })),
          });
          continue;
        } catch (error) {
          failure = `${(error as Error).name}: ${(error as Error).message}`;
        }
      }
      for (const r of batch) r.outcome = { failed: failure === undefined ? 'not sent' : `not sent (${failure})` };
    }
  } finally {
    await producer.disconnect();
  }
  return results;
}

/** A record set aside in a service's database because the broker would not take it. */
export interface SetAsideRow {
  schema: string;
  kind: 'outbox' | 'dead-letter';
  /** The outbox row's seq, or the dead_letters_set_aside row's id. */
  id: string;
  setAsideAt: string;
  topic: string;
  key: string | null;
  /** Event type (outbox) or refusal code (dead letter). */
  what: string;
  error: string;
}

async function schemasWith(dataSource: DataSource, table: string, schema?: string): Promise<string[]> {
  const rows: { schema: string }[] = await dataSource.query(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = $1 AND ($2::text IS NULL OR table_schema = $2) ORDER BY 1`,
    [table, schema ?? null],
  );
  return rows.map((r) => r.schema);
}

/** Every outbox row and dead letter set aside, in every service schema (or one). */
export async function readSetAside(dataSource: DataSource, schema?: string): Promise<SetAsideRow[]> {
  const rows: SetAsideRow[] = [];
  for (const s of await schemasWith(dataSource, 'dead_letters_set_aside', schema)) {
    const found: SetAsideRow[] = await dataSource.query(
      `SELECT $1::text AS schema, 'dead-letter' AS kind, id::text AS id, set_aside_at AS "setAsideAt", topic || '[' || "partition" || ']@' || "offset" AS topic,
              record_key AS key, code AS what, publish_error AS error
         FROM "${s}".dead_letters_set_aside ORDER BY id`,
      [s],
    );
    rows.push(...found);
  }
  for (const s of await schemasWith(dataSource, 'outbox', schema)) {
    const hasColumn: { n: number }[] = await dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'outbox' AND column_name = 'set_aside_at'`,
      [s],
    );
    if (hasColumn[0].n === 0) continue;
    const found: SetAsideRow[] = await dataSource.query(
      `SELECT $1::text AS schema, 'outbox' AS kind, seq::text AS id, set_aside_at AS "setAsideAt", topic, record_key AS key, event_type AS what, coalesce(last_error, '') AS error
         FROM "${s}".outbox WHERE set_aside_at IS NOT NULL AND published_at IS NULL ORDER BY seq`,
      [s],
    );
    rows.push(...found);
  }
  return rows.map((r) => ({ ...r, setAsideAt: new Date(r.setAsideAt).toISOString() }));
}

/**
 * Set-aside rows of `schema`, in one transaction (all or nothing):
 * - outbox rows (`kind` outbox, by seq): `resend` puts them back in line, so the relay tries them
 *   again in their key's order once the cause is fixed (a topic's `max.message.bytes` raised, an
 *   ACL granted); `discard` deletes them. Either way the later rows of their keys flow again.
 * - set-aside dead letters (`kind` dead-letter, by id): `discard` deletes the row once an operator
 *   has dealt with the record it names (still on its source topic at the position it gives).
 * Returns the rows as they were, so the caller can show or keep what was dropped.
 */
export async function resolveSetAside(
  dataSource: DataSource,
  schema: string,
  kind: SetAsideRow['kind'],
  ids: readonly string[],
  action: 'resend' | 'discard',
): Promise<Record<string, unknown>[]> {
  if (kind === 'dead-letter' && action === 'resend') throw new Error('a set-aside dead letter cannot be resent: replay the original from the source position it names, then discard it');
  const statement =
    kind === 'outbox'
      ? action === 'resend'
        ? `UPDATE "${schema}".outbox SET set_aside_at = NULL WHERE seq = ANY($1::bigint[]) AND set_aside_at IS NOT NULL AND published_at IS NULL
           RETURNING seq::text AS id, topic, record_key AS key, event_type AS type, last_error AS error, payload`
        : `DELETE FROM "${schema}".outbox WHERE seq = ANY($1::bigint[]) AND set_aside_at IS NOT NULL AND published_at IS NULL
           RETURNING seq::text AS id, topic, record_key AS key, event_type AS type, last_error AS error, payload`
      : `DELETE FROM "${schema}".dead_letters_set_aside WHERE id = ANY($1::bigint[])
         RETURNING id::text AS id, consumer_group AS group, topic, "partition", "offset"::text AS "offset", record_key AS key, code, reason, publish_error AS error`;
  const table = kind === 'outbox' ? 'outbox' : 'dead_letters_set_aside';
  const known = await schemasWith(dataSource, table);
  if (!known.includes(schema)) throw new Error(`no schema ${schema} with a ${table} table (these have one: ${known.join(', ') || 'none'})`);
  return dataSource.transaction(async (manager) => {
    if (kind === 'outbox' && action === 'resend') {
      // A row set aside because its payload breaks the contract would be dead-lettered by every consumer.
      const pending: { id: string; type: string; payload: unknown }[] = await manager.query(
        `SELECT seq::text AS id, event_type AS type, payload FROM "${schema}".outbox WHERE seq = ANY($1::bigint[]) AND set_aside_at IS NOT NULL AND published_at IS NULL FOR UPDATE`,
        [ids],
      );
      for (const row of pending) {
        const definition = findEventDefinition(row.type);
        const checked = definition ? parsePayload(definition.payload, row.payload) : undefined;
        if (!checked?.ok) {
          const why = checked ? checked.errors.map((e) => `${e.field || '(payload)'}: ${e.message}`).join('; ') : `unknown event type ${row.type}`;
          throw new Error(`outbox row ${row.id} cannot be resent: its payload breaks the contract (${why}), so every consumer would refuse it; discard it instead. Nothing was changed`);
        }
      }
    }
    const [rows] = (await manager.query(statement, [ids])) as [Record<string, unknown>[], number];
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) {
      throw new Error(`not set aside in ${schema} (${kind}): ${missing.join(', ')} (published, resolved already, or no such row); nothing was changed`);
    }
    return rows;
  });
}
