import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { serviceTestEnv, uniqueSuffix } from '@niryat/testing';

interface ServiceSpec {
  name: string;
  port: number;
}
interface ServicesModule {
  SERVICES: ServiceSpec[];
  build(log: (line: string) => void): void;
  migrate(services: ServiceSpec[], envFor: (service: ServiceSpec) => Record<string, string>, log?: (line: string) => void): void;
  startService(service: ServiceSpec, env: Record<string, string>, onLine?: (line: string) => void): ChildProcess & { exited: Promise<unknown> };
  waitHealthy(url: string, child: ChildProcess): Promise<void>;
  stopServices(children: ChildProcess[], graceMs?: number): Promise<void>;
}
interface ProcModule {
  findFreePort(): Promise<number>;
}

const TOOLS = join(__dirname, '..', 'tools');
// The launcher `npm start` uses, so the e2e tests run the services exactly as people do.
const services = require(join(TOOLS, 'run', 'services.js')) as ServicesModule;
const proc = require(join(TOOLS, 'infra', 'proc.js')) as ProcModule;

/**
 * The four compiled services as real processes on free ports, against this run's Kafka and Postgres,
 * in their own topic namespace and schemas so other test files never see their events.
 */
export class PlatformStack {
  readonly namespace = `e2e-${uniqueSuffix()}`;
  readonly urls: Record<string, string> = {};
  readonly logs: string[] = [];
  private children: ChildProcess[] = [];

  async start(): Promise<this> {
    services.build(() => undefined);
    const ports = new Map<string, number>();
    for (const service of services.SERVICES) ports.set(service.name, await proc.findFreePort());
    const envFor = (service: ServiceSpec) => ({
      ...(process.env as Record<string, string>),
      ...serviceTestEnv(service.name, this.namespace, { PORT: String(ports.get(service.name)), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
      DB_MIGRATE_ON_START: 'false',
    });
    services.migrate(services.SERVICES, envFor, (line) => this.logs.push(line));
    for (const service of services.SERVICES) {
      const child = services.startService(service, envFor(service), (line) => this.logs.push(`${service.name}: ${line}`));
      this.children.push(child);
      this.urls[service.name] = `http://127.0.0.1:${ports.get(service.name)}`;
    }
    await Promise.all(services.SERVICES.map((service, i) => services.waitHealthy(this.urls[service.name], this.children[i])));
    return this;
  }

  async stop(): Promise<void> {
    await services.stopServices(this.children);
  }
}

export async function http<T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
