import { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { ChildProcess, fork } from 'node:child_process';
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

/** What the runner has heard from a forked bench process so far. */
export interface ChildProgress<U extends ChildUsage = ChildUsage> {
  joinedAt?: number;
  readyAt?: number;
  startedAt?: number;
  consumed?: { at: number; records: number };
  stats?: Record<string, number>;
  usage?: U;
  /** The first line of the error it reported before exiting. */
  failure?: string;
  exited?: { code: number | null; signal: NodeJS.Signals | null };
}

export interface BenchChildOptions {
  /** The repository root: TypeScript entries run from source through @swc-node/register, which reads tsconfig.json there. */
  cwd: string;
  /** Extra node flags, e.g. --cpu-prof. */
  execArgv?: string[];
}

/**
 * The runner's side of the protocol: forks a TypeScript entry with its configuration in
 * BENCH_CHILD_CONFIG, records what it tells, and stops it by its own pid only (`stop` message,
 * SIGTERM when the channel is gone, SIGKILL after the grace).
 */
export class BenchChild<U extends ChildUsage = ChildUsage> {
  readonly progress: ChildProgress<U> = {};
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(entry: string, config: object, options: BenchChildOptions) {
    this.child = fork(entry, [], {
      cwd: options.cwd,
      execArgv: ['-r', '@swc-node/register', ...(options.execArgv ?? [])],
      // KAFKAJS_NO_PARTITIONER_WARNING: Nest's Kafka transport creates producers with kafkajs' default partitioner, which warns once.
      env: { ...process.env, [BENCH_CHILD_CONFIG]: JSON.stringify(config), KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: ChildMessage<U>) => this.receive(message));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.progress.exited = { code, signal };
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private receive(message: ChildMessage<U>): void {
    const p = this.progress;
    if (message.kind === 'joined') p.joinedAt ??= message.at;
    else if (message.kind === 'ready') [p.readyAt, p.startedAt] = [message.at, message.startedAt];
    else if (message.kind === 'consumed') p.consumed ??= { at: message.at, records: message.records };
    else if (message.kind === 'stats') p.stats = message.stats;
    else if (message.kind === 'usage') p.usage = message.usage;
    else if (message.kind === 'failed') p.failure = message.message.split('\n')[0];
  }

  /** Until its consumer has joined its group (the clock's start); refuses if it failed, exited or took longer than `timeoutMs`. */
  async untilJoined(timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.progress.joinedAt === undefined) {
      if (this.progress.failure) throw new Error(`${this.describe()} failed: ${this.progress.failure}`);
      if (this.progress.exited) throw new Error(`${this.describe()} exited (code ${this.progress.exited.code}, signal ${this.progress.exited.signal}) before joining its group`);
      if (Date.now() > deadline) throw new Error(`${this.describe()} did not join its group within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.progress.joinedAt;
  }

  /** The work is committed: the process closes its usage window (CPU, event loop, and whatever it adds). */
  markDone(): void {
    if (this.child.connected) this.child.send({ kind: 'done' } satisfies ParentMessage);
  }

  /** Asks for a graceful stop (it closes its app and reports its stats), then kills it if it does not exit. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.progress.exited) return;
    if (this.child.connected) this.child.send({ kind: 'stop' } satisfies ParentMessage);
    else this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([this.exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  kill(): void {
    if (!this.progress.exited) this.child.kill('SIGKILL');
  }

  private describe(): string {
    return `bench process ${this.child.pid ?? '?'} (${this.child.spawnargs.at(-1) ?? ''})`;
  }
}
