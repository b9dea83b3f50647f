import { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { performance } from 'node:perf_hooks';

/**
 * The contract between a benchmark runner and a process it forks to measure (a service variant, a
 * naive twin, a plain reader): the configuration goes in as JSON in an environment variable,
 * progress comes back over the IPC channel, and the runner stops it with a message (or SIGTERM).
 * Each measured process runs on its own, so none inherits another's warm caches or leftovers, and
 * a hung or crashed one is killed without taking the run down. Nothing here runs on import.
 */

/** The environment variable a forked bench process reads its configuration from. */
export const BENCH_CHILD_CONFIG = 'BENCH_CHILD_CONFIG';

/** The measured process from its group join until the runner saw the work done. */
export interface ChildUsage {
  wallSeconds: number;
  /** User + system CPU of the process. */
  cpuSeconds: number;
  /** Share of the time the event loop was busy (1 = never waiting for I/O). */
  eventLoopBusy: number;
  /** The window on the monotonic clock (µs) that V8's CPU profile timestamps use. */
  monotonicUs: [number, number];
}

export type ChildMessage<U extends ChildUsage = ChildUsage> =
  /** The measured consumer joined its group: the clock starts here. */
  | { kind: 'joined'; at: number; groupId: string }
  /** The process is running its consumer (app initialised, microservice listening, kafkajs run() returned). */
  | { kind: 'ready'; at: number; startedAt: number }
  /** A plain reader: every record was received. */
  | { kind: 'consumed'; at: number; records: number; batches: number }
  /** Sent on stop: what the process counted itself. */
  | { kind: 'stats'; stats: Record<string, number> }
  | { kind: 'usage'; usage: U }
  | { kind: 'failed'; message: string };

/** `done`: the runner saw the work committed, the usage window closes; `stop`: close and exit. */
export type ParentMessage = { kind: 'done' } | { kind: 'stop' };

/** What-ifs forced onto the measured consumer when it is created and run (diagnosis only). */
export interface ConsumerTuning {
  /** kafkajs run({ partitionsConsumedConcurrently }). */
  partitionsConsumedConcurrently?: number;
  /** kafkajs consumer({ maxBytesPerPartition }). */
  maxBytesPerPartition?: number;
  /** kafkajs consumer({ maxBytes }). */
  maxBytes?: number;
}

/** The process's configuration, as the runner that forked it wrote it; `startedBy` names that runner for the error. */
export function readChildConfig<C>(startedBy: string): C {
  const raw = process.env[BENCH_CHILD_CONFIG];
  if (!raw) throw new Error(`${BENCH_CHILD_CONFIG} is not set: this file is started by ${startedBy}`);
  return JSON.parse(raw) as C;
}

/** Sends to the runner; resolves once the message is handed to the channel (or there is none). */
export function tell<U extends ChildUsage>(message: ChildMessage<U>): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

let window: { at: number; hr: bigint; cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization> } | undefined;
const micros = (hr: bigint) => Number(hr / 1000n);

/**
 * Tells the runner when the consumer of `groupId` has joined its group, and from then on measures
 * the process's CPU and event loop. Opt in once per process, before the consumer is created: it
 * hooks kafkajs' consumer factory (see hookConsumers).
 */
export function watchGroupJoin(groupId: string, tuning: ConsumerTuning = {}): void {
  hookConsumers(
    (joined, at) => {
      if (joined !== groupId || window) return;
      window = { at, hr: process.hrtime.bigint(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
      void tell({ kind: 'joined', at, groupId });
    },
    groupId,
    tuning,
  );
}

function usage(): ChildUsage | undefined {
  if (!window) return undefined;
  const cpu = process.cpuUsage(window.cpu);
  return {
    wallSeconds: (Date.now() - window.at) / 1000,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    eventLoopBusy: Math.round(performance.eventLoopUtilization(window.elu).utilization * 1000) / 1000,
    monotonicUs: [micros(window.hr), micros(process.hrtime.bigint())],
  };
}

/**
 * Reports when any kafkajs consumer created in this process joins its group, whoever creates it
 * (a service's BatchConsumer, Nest's ServerKafka, a plain consumer): kafkajs' GROUP_JOIN
 * instrumentation event, hooked on the client's consumer factory. Without tuning, observation
 * only; with it, its settings are forced onto the consumer of `groupId`.
 */
function hookConsumers(listener: (groupId: string, at: number) => void, groupId: string, tuning: ConsumerTuning): void {
  const prototype = Kafka.prototype as unknown as { consumer: (config: ConsumerConfig) => Consumer };
  const create = prototype.consumer;
  prototype.consumer = function instrumentedConsumer(this: Kafka, config: ConsumerConfig): Consumer {
    const tuned = config.groupId === groupId;
    const consumer = create.call(this, {
      ...config,
      ...(tuned && tuning.maxBytesPerPartition ? { maxBytesPerPartition: tuning.maxBytesPerPartition } : {}),
      ...(tuned && tuning.maxBytes ? { maxBytes: tuning.maxBytes } : {}),
    });
    consumer.on(consumer.events.GROUP_JOIN, () => listener(config.groupId, Date.now()));
    const concurrency = tuning.partitionsConsumedConcurrently;
    if (tuned && concurrency) {
      const run = consumer.run.bind(consumer);
      consumer.run = (runConfig?: ConsumerRunConfig) => run({ ...runConfig, partitionsConsumedConcurrently: concurrency });
    }
    return consumer;
  };
}

/**
 * Reports the usage window (with `extraUsage`, e.g. SQL timings) when the runner says the work is
 * done, and runs `stop` when it says so, when its channel goes away, or on SIGTERM / SIGINT (a
 * runner that is not Node, or a person at the terminal); then exits.
 */
export function stopOnRequest(stop: () => Promise<Record<string, number> | void>, extraUsage?: () => object): void {
  let stopping = false;
  let reported = false;
  const report = async () => {
    if (reported) return;
    reported = true;
    const measured = usage();
    if (measured) await tell({ kind: 'usage', usage: { ...measured, ...extraUsage?.() } });
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
  process.once('SIGTERM', () => void finish());
  process.once('SIGINT', () => void finish());
}

/** A failure to start is reported to the runner instead of being a bare exit code. */
export async function failed(error: unknown): Promise<never> {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  await tell({ kind: 'failed', message });
  process.exit(1);
}
