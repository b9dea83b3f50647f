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
   * stored offsets, one offsets request per topic), so their first chunks are ready together.
   */
  async checkAssignment(assignment: Readonly<Record<string, readonly number[]>>): Promise<void> {
    this.verified.clear();
    for (const [topic, partitions] of Object.entries(assignment)) await Promise.all(partitions.map((partition) => this.problemOf(topic, partition)));
  }

  list(): PositionProblem[] {
    return [...this.problems.values()];
  }

  /** The problem of the partition's stored position, or null when it fits the log. */
  async problemOf(topic: string, partition: number): Promise<PositionProblem | null> {
    const k = key(topic, partition);
    if (this.verified.has(k)) return this.problems.get(k) ?? null;
    const [stored]: { next_offset: string; cluster_id: string | null }[] = await this.dataSource.query(
      `SELECT next_offset::text AS next_offset, cluster_id FROM "${this.schema}".consumer_offsets WHERE consumer_group = $1 AND topic = $2 AND "partition" = $3`,
      [this.groupId, topic, partition],
    );
    let problem: PositionProblem | null = null;
    if (stored) {
      const clusterId = await this.clusterId();
      const range = (await (await this.connectedAdmin()).fetchTopicOffsets(topic)).find((p) => p.partition === partition);
      const logStart = BigInt(range?.low ?? '0');
      const logEnd = BigInt(range?.high ?? '0');
      const offset = BigInt(stored.next_offset);
      const kind: PositionProblemKind | null =
        stored.cluster_id !== null && stored.cluster_id !== clusterId ? 'other-cluster' : offset > logEnd ? 'ahead-of-log' : offset < logStart ? 'before-log-start' : null;
      if (kind) {
        const facts = {
          group: this.groupId,
          topic,
          partition,
          kind,
          storedOffset: stored.next_offset,
          logStart: logStart.toString(),
          logEnd: logEnd.toString(),
          storedClusterId: stored.cluster_id,
          clusterId,
        };
        problem = { ...facts, message: explain(facts) };
        if (!this.problems.has(k)) this.logger.error(problem.message);
      }
    }
    if (problem) this.problems.set(k, problem);
    else this.problems.delete(k);
    this.verified.add(k);
    return problem;
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
