import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PlatformTarget } from './platform';

/*
 * The service launchers `npm start` uses (plain JavaScript under tools/), so the fault suite and
 * the benchmark start, kill and restart exactly what people run: the compiled services from dist/.
 */
const TOOLS = join(__dirname, '..', '..', '..', 'tools');
export interface ServiceSpec {
  name: string;
  port: number;
}
type ServiceChild = ChildProcess & { exited: Promise<unknown> };
const services = require(join(TOOLS, 'run', 'services.js')) as {
  SERVICES: ServiceSpec[];
  build(log: (line: string) => void): Promise<void>;
  migrate(services: ServiceSpec[], envFor: (service: ServiceSpec) => Record<string, string>, log?: (line: string) => void): void;
  startService(service: ServiceSpec, env: Record<string, string>, onLine?: (line: string) => void): ServiceChild;
  waitHealthy(url: string, child: ChildProcess, timeoutMs?: number): Promise<void>;
  stopServices(children: ChildProcess[], graceMs?: number): Promise<void>;
};
const proc = require(join(TOOLS, 'infra', 'proc.js')) as { findFreePort(): Promise<number> };
const credentials = require(join(TOOLS, 'run', 'credentials.js')) as { mintCredential(options: { id: string; role: string }): { token: string; entry: string } };

const ROLES = ['registrant', 'reviewer', 'operator', 'analyst'] as const;
export type ServiceName = 'onboarding' | 'exports' | 'training' | 'reporting';

export interface StackOptions {
  kafkaBrokers: string;
  databaseUrl: string;
  /** KAFKA_TOPIC_NAMESPACE of every service. */
  namespace: string;
  /** Each service's DB_SCHEMA is this prefix and its name (default: no prefix, the service's own schema). */
  schemaPrefix?: string;
  /** Instances of each service, one group per service (default one each). */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
  log: (line: string) => void;
}

export interface Instance {
  name: string;
  spec: ServiceSpec;
  port: number;
  env: Record<string, string>;
  child?: ServiceChild;
}

/**
 * The four compiled services on a Kafka and a PostgreSQL given, with credentials of each role
 * minted for the run, migrated, started and healthy; any instance can be killed, stopped and
 * started again. Their output is kept (the last lines explain a failure).
 */
export class Stack {
  readonly logs: string[] = [];

  private constructor(
    readonly instances: Instance[],
    readonly target: PlatformTarget,
  ) {}

  static async start(options: StackOptions): Promise<Stack> {
    const { log } = options;
    await services.build(log);
    const minted = Object.fromEntries(ROLES.map((role) => [role, credentials.mintCredential({ id: `stack-${role}`, role })]));
    const common = {
      ...(process.env as Record<string, string>),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.kafkaBrokers,
      KAFKA_TOPIC_NAMESPACE: options.namespace,
      DB_MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_INTERVAL_MS: '50',
      AUTH_CREDENTIALS: Object.values(minted).map((c) => c.entry).join(','),
      PARTNER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...options.env,
    };
    const instances: Instance[] = [];
    for (const spec of services.SERVICES) {
      for (let n = 1; n <= (options.replicas?.[spec.name as ServiceName] ?? 1); n++) {
        const port = await proc.findFreePort();
        instances.push({ name: `${spec.name}-${n}`, spec, port, env: { ...common, PORT: String(port), DB_SCHEMA: `${options.schemaPrefix ?? ''}${spec.name}` } });
      }
    }
    services.migrate(services.SERVICES, (spec) => instances.find((i) => i.spec.name === spec.name)?.env as Record<string, string>, () => undefined);
    const first = (name: string) => `http://127.0.0.1:${(instances.find((i) => i.spec.name === name) as Instance).port}`;
    const target: PlatformTarget = {
      urls: { onboarding: first('onboarding'), exports: first('exports'), reporting: first('reporting') },
      tokens: { registrant: minted.registrant.token, reviewer: minted.reviewer.token, operator: minted.operator.token, analyst: minted.analyst.token },
      kafkaBrokers: options.kafkaBrokers.split(','),
      topicNamespace: options.namespace,
    };
    const stack = new Stack(instances, target);
    instances.forEach((i) => stack.launch(i));
    try {
      await stack.waitHealthy(instances);
    } catch (error) {
      await stack.stop();
      throw stack.explained(error);
    }
    log(`${instances.length} service instances up: ${instances.map((i) => i.name).join(', ')}`);
    return stack;
  }

  of(name: ServiceName): Instance[] {
    return this.instances.filter((i) => i.spec.name === name);
  }

  /** The schema a service's instances use. */
  schemaOf(name: ServiceName): string {
    return this.of(name)[0].env.DB_SCHEMA;
  }

  /** Starts the instance's process (again); its output goes to the kept log. */
  launch(instance: Instance): void {
    instance.child = services.startService(instance.spec, instance.env, (line) => {
      this.logs.push(`${instance.name}: ${line}`);
      if (this.logs.length > 2_000) this.logs.splice(0, 1_000);
    });
  }

  isRunning(instance: Instance): boolean {
    return instance.child !== undefined && instance.child.exitCode === null && instance.child.signalCode === null;
  }

  async waitHealthy(instances: readonly Instance[] = this.instances, timeoutMs?: number): Promise<void> {
    await Promise.all(instances.map((i) => services.waitHealthy(`http://127.0.0.1:${i.port}`, i.child as ChildProcess, timeoutMs)));
  }

  /** Starts every instance that is not running and waits until all are healthy. */
  async restoreAll(timeoutMs?: number): Promise<void> {
    for (const instance of this.instances) if (!this.isRunning(instance)) this.launch(instance);
    await this.waitHealthy(this.instances, timeoutMs);
  }

  /** SIGKILL, and waits for the process to be gone. */
  async kill(instance: Instance): Promise<void> {
    instance.child?.kill('SIGKILL');
    await instance.child?.exited;
  }

  /** SIGTERM (a graceful stop: the batch in flight finishes), SIGKILL after the grace period. */
  async stop(instances: readonly Instance[] = this.instances, graceMs = 10_000): Promise<void> {
    await services.stopServices(instances.flatMap((i) => (i.child ? [i.child] : [])), graceMs);
  }

  /** The error with the last lines the services wrote. */
  explained(error: unknown): Error {
    return new Error(`${(error as Error).message}\n--- last service output ---\n${this.logs.slice(-40).join('\n')}`);
  }

  /** Live process ids of a service's instances. */
  pidsOf(name: ServiceName): number[] {
    return this.of(name).flatMap((i) => (this.isRunning(i) && i.child?.pid ? [i.child.pid] : []));
  }
}
