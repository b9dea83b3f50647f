import type { Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { positionFit } from '../consumer/log-positions';

/** One stored position as an operator needs to see it: the database's, Kafka's, and the log's. */
export interface PositionRow {
  schema: string;
  group: string;
  topic: string;
  partition: number;
  stored: string;
  /** The group's committed offset in Kafka; null when it has none. */
  committed: string | null;
  logStart: string | null;
  logEnd: string | null;
  /** Records on the log not applied yet (end − stored), when the position fits. */
  lag: string | null;
  status: 'ok' | 'ahead-of-log' | 'before-log-start' | 'other-cluster' | 'no-such-topic';
}

interface StoredRow {
  schema: string;
  consumer_group: string;
  topic: string;
  partition: number;
  next_offset: string;
  cluster_id: string | null;
}

/** The Kafka group of a stored group: the topic's namespace (what precedes `niryat.`) and the group's name. */
function kafkaGroupOf(group: string, topic: string): string {
  const at = topic.indexOf('niryat.');
  return at > 0 ? `${topic.slice(0, at)}${group}` : group;
}

async function storedRows(dataSource: DataSource, filter: { schema?: string; group?: string; topic?: string; partition?: number }): Promise<StoredRow[]> {
  // Schemas not migrated yet to the cluster id have no such column: their positions are read without it.
  const schemas: { schema: string; has_cluster: boolean }[] = await dataSource.query(
    `SELECT t.table_schema AS schema,
            EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = 'consumer_offsets' AND c.column_name = 'cluster_id') AS has_cluster
       FROM information_schema.tables t WHERE t.table_name = 'consumer_offsets' AND ($1::text IS NULL OR t.table_schema = $1) ORDER BY 1`,
    [filter.schema ?? null],
  );
  const rows: StoredRow[] = [];
  for (const { schema, has_cluster } of schemas) {
    const found: StoredRow[] = await dataSource.query(
      `SELECT $1::text AS schema, consumer_group, topic, "partition", next_offset::text AS next_offset, ${has_cluster ? 'cluster_id' : 'NULL::text AS cluster_id'} FROM "${schema}".consumer_offsets
        WHERE ($2::text IS NULL OR consumer_group = $2) AND ($3::text IS NULL OR topic = $3) AND ($4::int IS NULL OR "partition" = $4)
        ORDER BY consumer_group, topic, "partition"`,
      [schema, filter.group ?? null, filter.topic ?? null, filter.partition ?? null],
    );
    rows.push(...found);
  }
  return rows;
}

/** Every stored position (of every schema that has consumers, or the filtered ones) against the log and Kafka's committed offsets. */
export async function readPositions(dataSource: DataSource, admin: Admin, filter: { schema?: string; group?: string } = {}): Promise<PositionRow[]> {
  const rows = await storedRows(dataSource, filter);
  const { clusterId } = await admin.describeCluster();
  const topics = new Set(await admin.listTopics());
  const ranges = new Map<string, Map<number, { low: string; high: string }>>();
  for (const topic of new Set(rows.map((r) => r.topic))) {
    if (!topics.has(topic)) continue;
    ranges.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: p.low, high: p.high }])));
  }
  const committed = new Map<string, string>();
  for (const [group, topic] of [...new Set(rows.map((r) => `${kafkaGroupOf(r.consumer_group, r.topic)}\u0000${r.topic}`))].map((k) => k.split('\u0000'))) {
    if (!topics.has(topic)) continue;
    for (const t of await admin.fetchOffsets({ groupId: group, topics: [topic] })) {
      for (const p of t.partitions) if (p.offset !== '-1') committed.set(`${group}\u0000${t.topic}\u0000${p.partition}`, p.offset);
    }
  }
  return rows.map((r): PositionRow => {
    const range = ranges.get(r.topic)?.get(r.partition);
    const stored = BigInt(r.next_offset);
    const status: PositionRow['status'] = !range
      ? 'no-such-topic'
      : (positionFit({ storedOffset: r.next_offset, storedClusterId: r.cluster_id, clusterId, logStart: range.low, logEnd: range.high }) ?? 'ok');
    return {
      schema: r.schema,
      group: r.consumer_group,
      topic: r.topic,
      partition: r.partition,
      stored: r.next_offset,
      committed: committed.get(`${kafkaGroupOf(r.consumer_group, r.topic)}\u0000${r.topic}\u0000${r.partition}`) ?? null,
      logStart: range?.low ?? null,
      logEnd: range?.high ?? null,
      lag: range && status === 'ok' ? (BigInt(range.high) - stored).toString() : null,
      status,
    };
  });
}

export interface ResetRequest {
  group: string;
  to: 'earliest' | 'latest' | bigint;
  schema?: string;
  topic?: string;
  partition?: number;
}

/**
 * Moves a group's stored positions (and its committed Kafka offsets) to the log's start, its end,
 * or an offset, for this cluster. Refused while the Kafka group has members: the services that
 * consume with it must be stopped. Returns the positions as they were and as they are now.
 */
export async function resetPositions(dataSource: DataSource, admin: Admin, request: ResetRequest): Promise<{ before: PositionRow[]; after: PositionRow[] }> {
  const before = (await readPositions(dataSource, admin, { schema: request.schema, group: request.group })).filter(
    (r) => (request.topic === undefined || r.topic === request.topic) && (request.partition === undefined || r.partition === request.partition),
  );
  if (before.length === 0) throw new Error(`no stored positions of group ${request.group}${request.topic ? ` on ${request.topic}` : ''}${request.partition !== undefined ? `[${request.partition}]` : ''}`);
  const { clusterId } = await admin.describeCluster();
  for (const group of new Set(before.map((r) => kafkaGroupOf(r.group, r.topic)))) {
    const [description] = (await admin.describeGroups([group])).groups;
    if (description && description.members.length > 0) {
      throw new Error(`Kafka group ${group} has ${description.members.length} member(s): stop the services that consume with it first`);
    }
  }
  for (const row of before) {
    if (row.logStart === null || row.logEnd === null) throw new Error(`${row.topic} does not exist on this cluster: create it (start the service once) before resetting`);
    const target = request.to === 'earliest' ? BigInt(row.logStart) : request.to === 'latest' ? BigInt(row.logEnd) : request.to;
    if (target < BigInt(row.logStart) || target > BigInt(row.logEnd)) throw new Error(`offset ${target} is outside ${row.topic}[${row.partition}]'s log (${row.logStart}..${row.logEnd})`);
    await dataSource.query(
      `UPDATE "${row.schema}".consumer_offsets SET next_offset = $4, updated_at = now() WHERE consumer_group = $1 AND topic = $2 AND "partition" = $3`,
      [row.group, row.topic, row.partition, target.toString()],
    );
    // Written against this cluster from now on (schemas migrated to the cluster id only).
    await dataSource
      .query(`UPDATE "${row.schema}".consumer_offsets SET cluster_id = $4 WHERE consumer_group = $1 AND topic = $2 AND "partition" = $3`, [row.group, row.topic, row.partition, clusterId])
      .catch(() => undefined);
    await admin.setOffsets({ groupId: kafkaGroupOf(row.group, row.topic), topic: row.topic, partitions: [{ partition: row.partition, offset: target.toString() }] });
  }
  const after = (await readPositions(dataSource, admin, { schema: request.schema, group: request.group })).filter((r) =>
    before.some((b) => b.schema === r.schema && b.topic === r.topic && b.partition === r.partition),
  );
  return { before, after };
}
