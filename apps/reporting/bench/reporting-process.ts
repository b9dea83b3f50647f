import { KafkaClient } from '@niryat/messaging';
import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPORTING_GROUP } from '../src/reporting-views';

type ServiceChild = ChildProcess & { exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };
interface ServiceScripts {
  build(log: (line: string) => void): Promise<void>;
  migrate(services: { name: string }[], envFor: () => NodeJS.ProcessEnv, log?: (text: string) => void): void;
  startService(service: { name: string }, env: NodeJS.ProcessEnv, onLine: (line: string) => void): ServiceChild;
  waitHealthy(url: string, child: ServiceChild, timeoutMs?: number): Promise<void>;
  stopServices(children: ServiceChild[], graceMs?: number): Promise<void>;
}
interface CredentialScripts {
  mintCredential(options: { id: string; role: string }): { token: string; entry: string };
}

/* `npm start`'s own launcher: the service runs here exactly as there, compiled, from dist/. */
const REPO_ROOT = join(__dirname, '..', '..', '..');
const services = () => require(join(REPO_ROOT, 'tools', 'run', 'services.js')) as ServiceScripts;
const credentials = () => require(join(REPO_ROOT, 'tools', 'run', 'credentials.js')) as CredentialScripts;
const findFreePort = () => (require(join(REPO_ROOT, 'tools', 'infra', 'proc.js')) as { findFreePort(): Promise<number> }).findFreePort();

/** The consumer groups that read the exports topic: the service's one group, as in production. */
export const EXPORT_TOPIC_GROUPS = [REPORTING_GROUP];

/** Compiles the services (incremental; a no-op when dist/ is current), as `npm start` does first. */
export function buildServices(log: (line: string) => void): Promise<void> {
  return services().build(log);
}

export interface ReportingConfig {
  databaseUrl: string;
  kafkaBrokers: string;
  namespace: string;
  schema: string;
  serviceEnv: Record<string, string>;
}

/**
 * The compiled reporting service in a process of its own, started by `tools/run/services.js` as
 * `npm start` starts it, on a schema (migrated by its own migration step) and topic namespace of
 * its own, listening on a free port with one analyst credential for the API.
 */
export class ReportingProcess {
  readonly url: string;
  readonly token: string;
  private constructor(
    private readonly child: ServiceChild,
    port: number,
    token: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.token = token;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(config: ReportingConfig, log: (line: string) => void): Promise<ReportingProcess> {
    const port = await findFreePort();
    const analyst = credentials().mintCredential({ id: 'bench-analyst', role: 'analyst' });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: config.databaseUrl,
      KAFKA_BROKERS: config.kafkaBrokers,
      KAFKA_TOPIC_NAMESPACE: config.namespace,
      DB_SCHEMA: config.schema,
      AUTH_CREDENTIALS: analyst.entry,
      ...config.serviceEnv,
    };
    services().migrate([{ name: 'reporting' }], () => env, () => undefined);
    // Its JSON log: warnings and errors are worth seeing, the rest is noise here.
    const child = services().startService({ name: 'reporting' }, env, (line) => {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (!level || Number(level) >= 40) log(`reporting: ${line}`);
    });
    const process_ = new ReportingProcess(child, port, analyst.token);
    try {
      await services().waitHealthy(process_.url, child);
    } catch (error) {
      await process_.stop();
      throw error;
    }
    return process_;
  }

  /** Until every consumer group of the exports topic has its member: the service is consuming. */
  async waitConsuming(kafka: KafkaClient, timeoutMs = 60_000): Promise<void> {
    const admin = await kafka.admin();
    const groups = EXPORT_TOPIC_GROUPS.map((g) => kafka.groupId(g));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const described = await admin.describeGroups(groups);
      const waiting = described.groups.filter((g) => g.state !== 'Stable' || g.members.length === 0).map((g) => `${g.groupId} (${g.state})`);
      if (waiting.length === 0) return;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error('the reporting service exited');
      if (Date.now() > deadline) throw new Error(`consumer groups not joined after ${timeoutMs / 1000} s: ${waiting.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM (the service finishes the chunk in flight and closes), SIGKILL after 15 s. */
  stop(): Promise<void> {
    return services().stopServices([this.child]);
  }
}
