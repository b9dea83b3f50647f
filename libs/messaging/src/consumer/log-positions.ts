import { Logger } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KafkaClient } from '../kafka/kafka-client';

/** Why a consumer group's stored position does not fit the log it reads. */
export type PositionProblemKind = 'ahead-of-log' | 'before-log-start' | 'other-cluster';

export interface PositionProblem {
  group: string;
  topic: string;
  partition: number;
  kind: PositionProblemKind;
  /** The next offset the database says the group applies (everything below was applied). */
  storedOffset: string;
  logStart: string;
  logEnd: string;
  /** The Kafka cluster the stored offset was written against, when known, and the one read now. */
  storedClusterId: string | null;
  clusterId: string;
  message: string;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Whether a stored offset belongs to the log: written against this cluster (when it says which),
 * not beyond the log's end, not before its start. The one rule of the consumer and of
 * `npm run consumers -- positions`.
 */
export function positionFit(p: { storedOffset: string; storedClusterId: string | null; clusterId: string; logStart: string; logEnd: string }): PositionProblemKind | null {
  const offset = BigInt(p.storedOffset);
  if (p.storedClusterId !== null && p.storedClusterId !== p.clusterId) return 'other-cluster';
  if (offset > BigInt(p.logEnd)) return 'ahead-of-log';
  if (offset < BigInt(p.logStart)) return 'before-log-start';
  return null;
}

function explain(p: Omit<PositionProblem, 'message'>): string {
  const where = `consumer group ${p.group} cannot apply ${p.topic}[${p.partition}]`;
  const why =
    p.kind === 'other-cluster'
      ? `its stored position ${p.storedOffset} was written against Kafka cluster ${p.storedClusterId}, and this is cluster ${p.clusterId} (the cluster was replaced while the database was kept)`
      : p.kind === 'ahead-of-log'
        ? `its stored position ${p.storedOffset} is beyond the end of the log (${p.logEnd}; log start ${p.logStart}): the topic was recreated or the cluster replaced while the database was kept`
        : `its stored position ${p.storedOffset} is before the start of the log (${p.logStart}; log end ${p.logEnd}): records were deleted by retention before they were applied`;
  return (
    `${where}: ${why}. Nothing of this partition is applied (nothing is skipped) until it is resolved: ` +
    `see \`npm run consumers -- positions\`, then \`npm run consumers -- reset --group ${p.group} --topic ${p.topic} --partition ${p.partition} --to earliest|latest|<offset> --yes\` ` +
    `with the services stopped (for reporting, \`npm run rebuild:reporting\` is the usual remedy)`
  );
}

/**
 * Whether each partition's stored offset belongs to the log the consumer reads: written against
 * this Kafka cluster, and within the partition's log (not beyond its end, not before its start).
 * A partition that does not fit is never applied: the consumer pauses it, `/health` names it and
 * one error line says how to resolve it. Checked once per partition per group generation.
 */
export class LogPositions {
  private readonly logger: Logger;
  private admin?: Promise<Admin>;
  private cluster?: string;
  private readonly verified = new Set<string>();
  private readonly problems = new Map<string, PositionProblem>();

  constructor(
    private readonly kafka: KafkaClient,
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly groupId: string,
  ) {
    this.logger = new Logger(`BatchConsumer:${groupId}`);
  }

  /** The id of the Kafka cluster the consumer reads, written with every stored offset. */
  async clusterId(): Promise<string> {
    if (this.cluster === undefined) {
      const { clusterId } = await (await this.connectedAdmin()).describeCluster();
      this.cluster = clusterId;
    }
    return this.cluster;
  }

  /**
   * After a rebalance: every assigned partition checked again, all at once (one query for the
   * stored offsets and one offsets request per topic), so their first chunks are ready together.
   */
  async checkAssignment(assignment: Readonly<Record<string, readonly number[]>>): Promise<void> {
    this.verified.clear();
    await Promise.all(Object.entries(assignment).map(([topic, partitions]) => this.check(topic, partitions)));
  }

  list(): PositionProblem[] {
    return [...this.problems.values()];
  }

  /** The problem of the partition's stored position, or null when it fits the log. */
  async problemOf(topic: string, partition: number): Promise<PositionProblem | null> {
    if (!this.verified.has(key(topic, partition))) await this.check(topic, [partition]);
    return this.problems.get(key(topic, partition)) ?? null;
  }

  /** Checks the partitions of one topic against its log, recording (and logging, once) each that does not fit. */
  private async check(topic: string, partitions: readonly number[]): Promise<void> {
    if (partitions.length === 0) return;
    const rows: { partition: number; next_offset: string; cluster_id: string | null }[] = await this.dataSource.query(
      `SELECT "partition", next_offset::text AS next_offset, cluster_id FROM "${this.schema}".consumer_offsets
        WHERE consumer_group = $1 AND topic = $2 AND "partition" = ANY($3::int[])`,
      [this.groupId, topic, partitions],
    );
    const stored = new Map(rows.map((r) => [r.partition, r]));
    const clusterId = rows.length > 0 ? await this.clusterId() : '';
    const ranges = rows.length > 0 ? new Map((await (await this.connectedAdmin()).fetchTopicOffsets(topic)).map((p) => [p.partition, p])) : new Map();
    for (const partition of partitions) {
      const k = key(topic, partition);
      const row = stored.get(partition);
      const range = ranges.get(partition);
      const logStart = range?.low ?? '0';
      const logEnd = range?.high ?? '0';
      const kind = row ? positionFit({ storedOffset: row.next_offset, storedClusterId: row.cluster_id, clusterId, logStart, logEnd }) : null;
      if (row && kind) {
        const facts = { group: this.groupId, topic, partition, kind, storedOffset: row.next_offset, logStart, logEnd, storedClusterId: row.cluster_id, clusterId };
        const problem = { ...facts, message: explain(facts) };
        if (!this.problems.has(k)) this.logger.error(problem.message);
        this.problems.set(k, problem);
      } else {
        this.problems.delete(k);
      }
      this.verified.add(k);
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  /** One admin connection, made on first use (partitions are checked concurrently). */
  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }
}
