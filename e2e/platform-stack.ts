import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Role, ROLES, SCOPED_ROLES } from '@niryat/auth';
import { serviceTestEnv, uniqueSuffix } from '@niryat/testing';

interface ServiceSpec {
  name: string;
  port: number;
}
interface ServicesModule {
  SERVICES: ServiceSpec[];
  build(log: (line: string) => void): Promise<void>;
  migrate(services: ServiceSpec[], envFor: (service: ServiceSpec) => Record<string, string>, log?: (line: string) => void): void;
  startService(service: ServiceSpec, env: Record<string, string>, onLine?: (line: string) => void): ChildProcess & { exited: Promise<unknown> };
  waitHealthy(url: string, child: ChildProcess): Promise<void>;
  stopServices(children: ChildProcess[], graceMs?: number): Promise<void>;
}
interface ProcModule {
  findFreePort(): Promise<number>;
}
interface CredentialsModule {
  mintCredential(options: { id: string; role: Role; scope?: string }): { token: string; entry: string };
}

const TOOLS = join(__dirname, '..', 'tools');
// The launcher `npm start` uses, so the e2e tests run the services exactly as people do.
const services = require(join(TOOLS, 'run', 'services.js')) as ServicesModule;
const proc = require(join(TOOLS, 'infra', 'proc.js')) as ProcModule;
const credentials = require(join(TOOLS, 'run', 'credentials.js')) as CredentialsModule;

/** The marketplace the stack's partner credential acts for. */
export const E2E_PARTNER_SCOPE = 'amazon';

/**
 * The four compiled services as real processes on free ports, against this run's Kafka and Postgres,
 * in their own topic namespace and schemas so other test files never see their events. Each role
 * has a credential minted for this stack (`token(role)`); the partner's is scoped to Amazon.
 */
export class PlatformStack {
  readonly namespace = `e2e-${uniqueSuffix()}`;
  readonly urls: Record<string, string> = {};
  readonly logs: string[] = [];
  private children: ChildProcess[] = [];
  private readonly extraEnv = new Map<string, Record<string, string>>();
  private readonly credentials = new Map(
    ROLES.map((role) => {
      const scope = SCOPED_ROLES.includes(role) ? E2E_PARTNER_SCOPE : undefined;
      return [role, credentials.mintCredential({ id: `e2e-${role}`, role, scope })] as const;
    }),
  );

  /** A second registrant, for what one registrant must not learn of another's sellers. */
  private readonly otherRegistrant = credentials.mintCredential({ id: 'e2e-registrant-other', role: 'registrant' });

  otherRegistrantToken(): string {
    return this.otherRegistrant.token;
  }

  /** Extra environment for one service of the stack, set before `start()`. */
  withEnv(service: string, env: Record<string, string>): this {
    this.extraEnv.set(service, { ...this.extraEnv.get(service), ...env });
    return this;
  }

  /** The Postgres schema a service of this stack owns (for checks that nothing was written). */
  schemaOf(service: string): string {
    return serviceTestEnv(service, this.namespace).DB_SCHEMA;
  }

  /** A topic name as this stack's services see it (they all run in the stack's namespace). */
  topic(baseName: string): string {
    return `${this.namespace}.${baseName}`;
  }

  /** A valid token with this role for every service of the stack. */
  token(role: Role): string {
    const credential = this.credentials.get(role);
    if (!credential) throw new Error(`no credential for role ${role}`);
    return credential.token;
  }

  /** What `npm run simulate` needs to act on this stack: its URLs, a token per role, its topic namespace. */
  simulatorEnv(): Record<string, string> {
    return {
      NIRYAT_ONBOARDING_URL: this.urls.onboarding,
      NIRYAT_EXPORTS_URL: this.urls.exports,
      NIRYAT_REPORTING_URL: this.urls.reporting,
      NIRYAT_REGISTRANT_TOKEN: this.token('registrant'),
      NIRYAT_REVIEWER_TOKEN: this.token('reviewer'),
      NIRYAT_OPERATOR_TOKEN: this.token('operator'),
      NIRYAT_ANALYST_TOKEN: this.token('analyst'),
      KAFKA_TOPIC_NAMESPACE: this.namespace,
    };
  }

  async start(): Promise<this> {
    await services.build(() => undefined);
    const ports = new Map<string, number>();
    for (const service of services.SERVICES) ports.set(service.name, await proc.findFreePort());
    const envFor = (service: ServiceSpec) => ({
      ...(process.env as Record<string, string>),
      ...serviceTestEnv(service.name, this.namespace, { PORT: String(ports.get(service.name)), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
      DB_MIGRATE_ON_START: 'false',
      AUTH_CREDENTIALS: [...this.credentials.values(), this.otherRegistrant].map((credential) => credential.entry).join(','),
      ...this.extraEnv.get(service.name),
    });
    services.migrate(services.SERVICES, envFor, (line) => this.logs.push(line));
    for (const service of services.SERVICES) {
      const child = services.startService(service, envFor(service), (line) => this.logs.push(`${service.name}: ${line}`));
      this.children.push(child);
      this.urls[service.name] = `http://127.0.0.1:${ports.get(service.name)}`;
    }
    try {
      await Promise.all(services.SERVICES.map((service, i) => services.waitHealthy(this.urls[service.name], this.children[i])));
    } catch (error) {
      // What the services said is the only clue to why one never came up.
      throw new Error(`${(error as Error).message}\n--- last service output ---\n${this.logs.slice(-60).join('\n')}`);
    }
    return this;
  }

  async stop(): Promise<void> {
    await services.stopServices(this.children);
  }
}

export interface HttpAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON request; `token` goes in `Authorization: Bearer`. */
export async function http<T = unknown>(method: string, url: string, body?: unknown, token?: string): Promise<HttpAnswer<T>> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}
