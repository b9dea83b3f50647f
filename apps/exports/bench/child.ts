import { ChildMessage as BenchChildMessage, ChildUsage, ConsumerTuning, failed, readChildConfig, stopOnRequest as stopOnBenchRequest, tell, watchGroupJoin } from '@niryat/testing';
import { instrumentQueries, QueryStat, queryStats } from './profile';

/**
 * The exports bench's side of the bench child protocol (@niryat/testing, child-process.ts): what
 * run.ts puts in BENCH_CHILD_CONFIG for each variant's process, and the SQL timings a profiled
 * variant adds to its usage report.
 */
export interface ChildConfig {
  variant: 'batch' | 'naive' | 'ceiling';
  kafkaBrokers: string;
  databaseUrl: string;
  /** Topic namespace of this variant's copy of the events. */
  namespace: string;
  /** Postgres schema (batch and naive). */
  schema: string;
  /** Records on the topic: the ceiling stops counting there. */
  expectedRecords: number;
  /** Extra environment for the batch variant's ExportsEnv (e.g. CONSUMER_CHUNK_SIZE). */
  serviceEnv: Record<string, string>;
  /** Time every SQL statement (the process also runs with --cpu-prof then). */
  profile: boolean;
  /** Diagnosis only: kafkajs settings forced onto the partner-topic consumer (see Experiments). */
  experiments: Experiments;
  /**
   * Naive only: publish ExportRecorded / ExportAdjusted on the exports topic of `namespace`, as the
   * service does, for a naive chain to read (apps/bench). Off in bench:exports, whose naive figures
   * stay those of the consumer alone.
   */
  publishExports?: boolean;
  /** Naive only: the Kafka consumer group of the partner topic (default `<namespace>.bench-naive`). */
  groupId?: string;
}

/**
 * What-ifs for the lead, tried without touching the service: kafkajs consumer settings forced onto
 * the variant's consumer of the partner topic when it is created and run. A run with any of them is
 * NOT the service as shipped, and the report says so.
 */
export type Experiments = ConsumerTuning;

/** The variant's process from its group join until the runner saw the work done. */
export interface Usage extends ChildUsage {
  queries?: QueryStat[];
}

export type ChildMessage = BenchChildMessage<Usage>;
export type { ParentMessage } from '@niryat/testing';
export { failed, tell };

/** The configuration run.ts wrote; fields a runner may leave out (apps/bench forks the naive variant too) get their defaults. */
export function childConfig(): ChildConfig {
  const config = readChildConfig<Partial<ChildConfig> & Pick<ChildConfig, 'variant' | 'kafkaBrokers' | 'databaseUrl' | 'namespace' | 'schema'>>(
    'apps/exports/bench/run.ts (or apps/bench)',
  );
  return { expectedRecords: 0, serviceEnv: {}, profile: false, experiments: {}, ...config };
}

/**
 * Starts the variant's side of the measurement: tells the runner when `groupId` (the consumer of
 * the partner topic) has joined, and from then on measures the process's CPU and event loop.
 */
export function watchGroup(config: ChildConfig, groupId: string): void {
  if (config.profile) instrumentQueries();
  watchGroupJoin(groupId, config.experiments);
}

/**
 * Reports the usage window when the runner says the work is done, and runs `stop` when it says so
 * (or its channel goes away, or on SIGTERM), then exits.
 */
export function stopOnRequest(config: ChildConfig, stop: () => Promise<Record<string, number> | void>): void {
  stopOnBenchRequest(stop, config.profile ? () => ({ queries: queryStats() }) : undefined);
}
