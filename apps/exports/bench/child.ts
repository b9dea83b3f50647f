import { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { performance } from 'node:perf_hooks';
import { instrumentQueries, QueryStat, queryStats } from './profile';

/**
 * The contract between the bench runner (run.ts) and the process it forks per variant: the
 * configuration goes in as JSON in BENCH_CHILD_CONFIG, progress comes back over the IPC channel.
 * Each variant runs in a process of its own, so none inherits another's warm caches or leftovers,
 * and a hung or crashed variant is killed without taking the run down.
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
}

/**
 * What-ifs for the lead, tried without touching the service: kafkajs consumer settings forced onto
 * the variant's consumer of the partner topic when it is created and run. A run with any of them is
 * NOT the service as shipped, and the report says so.
 */
export interface Experiments {
  /** kafkajs run({ partitionsConsumedConcurrently }): the service uses 1. */
  partitionsConsumedConcurrently?: number;
  /** kafkajs consumer({ maxBytesPerPartition }): kafkajs' default is 1 MiB. */
  maxBytesPerPartition?: number;
  /** kafkajs consumer({ maxBytes }): kafkajs' default is 10 MiB. */
  maxBytes?: number;
}

/** The variant's process from its group join until the runner saw the work done. */
export interface Usage {
  wallSeconds: number;
  /** User + system CPU of the variant's process. */
  cpuSeconds: number;
  /** Share of the time the event loop was busy (1 = never waiting for I/O). */
  eventLoopBusy: number;
  /** The window on the monotonic clock (µs) that V8's CPU profile timestamps use. */
  monotonicUs: [number, number];
  queries?: QueryStat[];
}

export type ChildMessage =
  /** The variant's consumer of the partner topic joined its group: the clock starts here. */
  | { kind: 'joined'; at: number; groupId: string }
  /** The consumer is running (app initialised, microservice listening, kafkajs run() returned). */
  | { kind: 'ready'; at: number; startedAt: number }
  /** Ceiling only: every record was received. */
  | { kind: 'consumed'; at: number; records: number; batches: number }
  /** Sent on stop: what the variant counted itself. */
  | { kind: 'stats'; stats: Record<string, number> }
  | { kind: 'usage'; usage: Usage }
  | { kind: 'failed'; message: string };

/** `done`: the runner saw the work committed, the usage window closes; `stop`: close and exit. */
export type ParentMessage = { kind: 'done' } | { kind: 'stop' };

export function childConfig(): ChildConfig {
  const raw = process.env.BENCH_CHILD_CONFIG;
  if (!raw) throw new Error('BENCH_CHILD_CONFIG is not set: this file is started by apps/exports/bench/run.ts');
  return JSON.parse(raw) as ChildConfig;
}

/** Sends to the runner; resolves once the message is handed to the channel (or there is none). */
export function tell(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

let window: { at: number; hr: bigint; cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization> } | undefined;
const micros = (hr: bigint) => Number(hr / 1000n);

/**
 * Starts the variant's side of the measurement: tells the runner when `groupId` (the consumer of
 * the partner topic) has joined, and from then on measures the process's CPU and event loop.
 */
export function watchGroup(config: ChildConfig, groupId: string): void {
  if (config.profile) instrumentQueries();
  hookConsumers(
    (joined, at) => {
      if (joined !== groupId || window) return;
      window = { at, hr: process.hrtime.bigint(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
      void tell({ kind: 'joined', at, groupId });
    },
    { groupId, ...config.experiments },
  );
}

function usage(profile: boolean): Usage | undefined {
  if (!window) return undefined;
  const cpu = process.cpuUsage(window.cpu);
  return {
    wallSeconds: (Date.now() - window.at) / 1000,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    eventLoopBusy: Math.round(performance.eventLoopUtilization(window.elu).utilization * 1000) / 1000,
    monotonicUs: [micros(window.hr), micros(process.hrtime.bigint())],
    ...(profile ? { queries: queryStats() } : {}),
  };
}

/**
 * Reports when any kafkajs consumer created in this process joins its group, whoever creates it
 * (the service's BatchConsumer, Nest's ServerKafka, a plain consumer): kafkajs' GROUP_JOIN
 * instrumentation event, hooked on the client's consumer factory. Without experiments, observation
 * only; with them, their settings are forced onto the consumer of `experiments.groupId`.
 */
function hookConsumers(listener: (groupId: string, at: number) => void, experiments: Experiments & { groupId: string }): void {
  const prototype = Kafka.prototype as unknown as { consumer: (config: ConsumerConfig) => Consumer };
  const create = prototype.consumer;
  prototype.consumer = function instrumentedConsumer(this: Kafka, config: ConsumerConfig): Consumer {
    const tuned = config.groupId === experiments.groupId;
    const consumer = create.call(this, {
      ...config,
      ...(tuned && experiments.maxBytesPerPartition ? { maxBytesPerPartition: experiments.maxBytesPerPartition } : {}),
      ...(tuned && experiments.maxBytes ? { maxBytes: experiments.maxBytes } : {}),
    });
    consumer.on(consumer.events.GROUP_JOIN, () => listener(config.groupId, Date.now()));
    const concurrency = experiments.partitionsConsumedConcurrently;
    if (tuned && concurrency) {
      const run = consumer.run.bind(consumer);
      consumer.run = (runConfig?: ConsumerRunConfig) => run({ ...runConfig, partitionsConsumedConcurrently: concurrency });
    }
    return consumer;
  };
}

/**
 * Reports the usage window when the runner says the work is done, and runs `stop` when it says so
 * (or its channel goes away), then exits.
 */
export function stopOnRequest(config: ChildConfig, stop: () => Promise<Record<string, number> | void>): void {
  let stopping = false;
  let reported = false;
  const report = async () => {
    if (reported) return;
    reported = true;
    const measured = usage(config.profile);
    if (measured) await tell({ kind: 'usage', usage: measured });
  };
  const finish = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await report();
      const stats = await stop();
      if (stats) await tell({ kind: 'stats', stats });
    } finally {
      process.disconnect?.();
      process.exit(0);
    }
  };
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'done') void report();
    else if (message.kind === 'stop') void finish();
  });
  process.on('disconnect', () => void finish());
}

/** A failure to start is reported to the runner instead of being a bare exit code. */
export async function failed(error: unknown): Promise<never> {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  await tell({ kind: 'failed', message });
  process.exit(1);
}
