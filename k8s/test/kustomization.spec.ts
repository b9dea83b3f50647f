import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { TopicSpecs } from '@niryat/contracts';
import { K8sObject, renderKustomization, renderWithKubectl, resourceId } from './render-kustomization';

const ROOT = join(__dirname, '..', '..');
const K8S = join(ROOT, 'k8s');
const BASE = join(K8S, 'base');

const APPS = [
  { name: 'onboarding', port: 3001 },
  { name: 'exports', port: 3002 },
  { name: 'training', port: 3003 },
  { name: 'reporting', port: 3004 },
] as const;

const NAMESPACE = 'niryat';
const CONFIG_MAP = 'niryat-config';
const DATABASE_SECRET = { name: 'niryat-database', key: 'url' };
/** Every Secret the manifests may reference: the database URL and the hashed API credentials. */
const AUTH_SECRET = { name: 'niryat-auth', key: 'credentials' };
const PARTNER_KEYS_SECRET = { name: 'niryat-partner-keys', key: 'encryption-key' };
const EXPECTED_SECRETS = [DATABASE_SECRET, AUTH_SECRET, PARTNER_KEYS_SECRET];
const KAFKA_CLUSTER = 'niryat-kafka';
/** The same rule the services apply to KAFKA_BROKERS at boot (libs/platform/src/config/service-env.ts). */
const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

// Real kustomize (kubectl's) where there is a kubectl, else the in-repo renderer; both where both exist.
const byKubectl = renderWithKubectl(BASE);
const inRepo = (() => {
  try {
    return { objects: renderKustomization(BASE) };
  } catch (error) {
    if (!byKubectl) throw error; // no renderer at all: nothing below can be checked
    return { error }; // reported by the parity test below; kubectl's rendering is still checked
  }
})();
const objects = byKubectl ?? inRepo.objects ?? [];
const RENDERER = byKubectl ? 'kubectl kustomize' : 'the in-repo renderer (no kubectl here)';

// --- small typed views of the rendered objects ---------------------------------------------------

interface Probe {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
  securityContext?: SecurityContext;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}

function all(kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

function one(kind: string, name: string): K8sObject {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}, found ${found.length}`);
  return found[0];
}

function template(workload: K8sObject): PodTemplate {
  return (workload.spec as { template: PodTemplate }).template;
}

function onlyContainer(workload: K8sObject): Container {
  const { containers } = template(workload).spec;
  expect(containers).toHaveLength(1);
  return containers[0];
}

function configMapData(name: string): Record<string, string> {
  return (one('ConfigMap', name).data ?? {}) as Record<string, string>;
}

/** The environment a container ends up with: its envFrom ConfigMaps, then its own env entries. */
function effectiveEnv(container: Container): Map<string, EnvVar> {
  const env = new Map<string, EnvVar>();
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) throw new Error(`${container.name}: envFrom a Secret hides which variables it sets; use secretKeyRef`);
    if (source.configMapRef) {
      for (const [name, value] of Object.entries(configMapData(source.configMapRef.name))) env.set(name, { name, value });
    }
  }
  for (const entry of container.env ?? []) env.set(entry.name, entry);
  return env;
}

/** A probe's or Service's port (a number or a container port name) as the number it means. */
function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** The default PORT an app's env class declares, e.g. `override PORT = 3001;`. */
function declaredDefaultPort(app: string): number {
  const source = readFileSync(join(ROOT, 'apps', app, 'src', `${app}.env.ts`), 'utf8');
  const match = /override\s+PORT\s*=\s*(\d+)/.exec(source);
  if (!match) throw new Error(`apps/${app}/src/${app}.env.ts declares no default PORT`);
  return Number(match[1]);
}

/** The script a container runs, checked against the compiled layout `dist/apps/<app>/src/<entry>.js`. */
function expectEntryPoint(container: Container, app: string, entry: 'main' | 'migrate'): void {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  expect(argv).toEqual(['node', '-r', './tools/run/dist-paths.js', `dist/apps/${app}/src/${entry}.js`]);
  expect(existsSync(join(ROOT, 'apps', app, 'src', `${entry}.ts`))).toBe(true);
  expect(existsSync(join(ROOT, 'tools', 'run', 'dist-paths.js'))).toBe(true);
}

function expectHardened(workload: K8sObject, container: Container): void {
  const pod = template(workload).spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  expect(own.runAsNonRoot ?? pod.runAsNonRoot).toBe(true);
  expect(own.readOnlyRootFilesystem).toBe(true);
  expect(own.allowPrivilegeEscalation).toBe(false);
  expect(own.capabilities?.drop).toContain('ALL');
  for (const field of ['cpu', 'memory']) {
    expect(container.resources?.requests?.[field]).toBeDefined();
    expect(container.resources?.limits?.[field]).toBeDefined();
  }
}

function expectDatabaseUrlFromSecret(container: Container): void {
  const databaseUrl = effectiveEnv(container).get('DATABASE_URL');
  expect(databaseUrl?.value).toBeUndefined();
  expect(databaseUrl?.valueFrom?.secretKeyRef).toEqual(DATABASE_SECRET);
}

function expectCredentialsFromSecret(container: Container): void {
  const credentials = effectiveEnv(container).get('AUTH_CREDENTIALS');
  expect(credentials?.value).toBeUndefined();
  expect(credentials?.valueFrom?.secretKeyRef).toEqual(AUTH_SECRET);
}

function expectKafkaBrokers(container: Container): void {
  const brokers = effectiveEnv(container).get('KAFKA_BROKERS')?.value;
  expect(brokers).toMatch(HOST_PORT_LIST);
}

// --- the rendered base ---------------------------------------------------------------------------

describe(`k8s/base rendered with ${RENDERER}`, () => {
  it('holds no resource twice (kind + name)', () => {
    const ids = objects.map(resourceId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const kindNames = objects.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kindNames.filter((id, i) => kindNames.indexOf(id) !== i)).toEqual([]);
  });

  it(`puts everything in the ${NAMESPACE} namespace, labelled part-of niryat`, () => {
    for (const object of objects) {
      expect(`${resourceId(object)} ${object.metadata.namespace}`).toBe(`${resourceId(object)} ${NAMESPACE}`);
      expect(object.metadata.labels?.['app.kubernetes.io/part-of']).toBe('niryat');
    }
  });

  it('commits no Secret: credentials are created in the cluster (k8s/README.md)', () => {
    expect(all('Secret')).toEqual([]);
  });

  it('runs one image, pinned to a tag, in every container', () => {
    const images = new Set([...all('Deployment'), ...all('Job')].flatMap((w) => template(w).spec.containers.map((c) => c.image)));
    expect(images.size).toBe(1);
    const [image] = [...images];
    expect(image).toMatch(/^[a-z0-9./:-]*niryat(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/);
    expect(image).not.toMatch(/:latest$/);
  });

  describe.each(APPS)('$name', ({ name, port }) => {
    it(`has a Deployment and a Service on port ${port}, the app's default port`, () => {
      expect(declaredDefaultPort(name)).toBe(port);
      const deployment = one('Deployment', name);
      const service = one('Service', name);
      const container = onlyContainer(deployment);

      const http = container.ports?.find((p) => p.name === 'http');
      expect(http?.containerPort).toBe(port);
      expect(effectiveEnv(container).get('PORT')?.value).toBe(String(port));

      const servicePorts = (service.spec as { ports: { port: number; targetPort: number | string }[] }).ports;
      expect(servicePorts).toHaveLength(1);
      expect(portNumber(container, servicePorts[0].targetPort)).toBe(port);
    });

    it('routes the Service, Deployment and PodDisruptionBudget to the server pods only', () => {
      const deployment = one('Deployment', name);
      const podLabels = template(deployment).metadata?.labels;
      const deploymentSelector = (deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      const serviceSelector = (one('Service', name).spec as { selector: Record<string, string> }).selector;
      const budgetSelector = (one('PodDisruptionBudget', name).spec as { selector: { matchLabels: Record<string, string> } }).selector
        .matchLabels;
      for (const selector of [deploymentSelector, serviceSelector, budgetSelector]) {
        expect(matches(selector, podLabels)).toBe(true);
        // A running migration pod must never receive traffic or count as a replica.
        for (const job of all('Job')) expect(matches(selector, template(job).metadata?.labels)).toBe(false);
      }
    });

    it('probes GET /health on the container port: startup, readiness and a tolerant liveness', () => {
      const container = onlyContainer(one('Deployment', name));
      const probes = { startup: container.startupProbe, readiness: container.readinessProbe, liveness: container.livenessProbe };
      for (const [kind, probe] of Object.entries(probes)) {
        expect([kind, probe?.httpGet?.path]).toEqual([kind, '/health']);
        expect([kind, portNumber(container, probe?.httpGet?.port)]).toEqual([kind, port]);
        expect([kind, probe?.httpGet?.scheme ?? 'HTTP']).toEqual([kind, 'HTTP']);
        // /health waits up to 3 s on each of the database and Kafka.
        expect(probe?.timeoutSeconds ?? 1).toBeGreaterThanOrEqual(5);
      }
      // /health also reports Kafka and the database: liveness must outlast a blip that readiness reacts to.
      const window = (probe: Probe | undefined) => (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);
      expect(window(probes.liveness)).toBeGreaterThanOrEqual(120);
      expect(window(probes.liveness)).toBeGreaterThan(window(probes.readiness));
    });

    it('gets DATABASE_URL from the niryat-database Secret and KAFKA_BROKERS from config', () => {
      const container = onlyContainer(one('Deployment', name));
      expectDatabaseUrlFromSecret(container);
      expectCredentialsFromSecret(container);
      expectKafkaBrokers(container);
      expect(effectiveEnv(container).get('DB_MIGRATE_ON_START')?.value ?? 'false').toBe('false');
    });

    it('runs its main.js as a non-root user with a read-only root filesystem and resource limits', () => {
      const deployment = one('Deployment', name);
      const container = onlyContainer(deployment);
      expectEntryPoint(container, name, 'main');
      expectHardened(deployment, container);
    });

    it(`has a migration Job running ${name}'s migrate.js with the same configuration`, () => {
      const job = one('Job', `${name}-migrate`);
      const container = onlyContainer(job);
      expectEntryPoint(container, name, 'migrate');
      expect(['Never', 'OnFailure']).toContain(template(job).spec.restartPolicy);
      expectDatabaseUrlFromSecret(container);
      expectKafkaBrokers(container); // validated at boot by migrate.js too
      expectHardened(job, container);
      expect(job.metadata.labels?.['release-phase']).toBe('pre-deploy');
    });
  });

  it('has no Deployment, Service or Job for an app that does not exist', () => {
    const names = APPS.map((app) => app.name).sort();
    expect(all('Deployment').map((d) => d.metadata.name).sort()).toEqual(names);
    expect(all('Service').map((s) => s.metadata.name).sort()).toEqual(names);
    expect(all('Job').map((j) => j.metadata.name).sort()).toEqual(names.map((n) => `${n}-migrate`));
  });

  it('gives the exports service its partner-key encryption key from a Secret, and no other service', () => {
    for (const app of APPS) {
      const entry = effectiveEnv(onlyContainer(one('Deployment', app.name))).get('PARTNER_KEY_ENCRYPTION_KEY');
      if (app.name === 'exports') expect(entry?.valueFrom?.secretKeyRef).toEqual(PARTNER_KEYS_SECRET);
      else expect(entry).toBeUndefined();
    }
  });

  it('references only ConfigMaps it defines, and Secrets by name only', () => {
    for (const workload of [...all('Deployment'), ...all('Job')]) {
      for (const container of template(workload).spec.containers) {
        for (const source of container.envFrom ?? []) if (source.configMapRef) one('ConfigMap', source.configMapRef.name);
        for (const entry of container.env ?? []) {
          if (entry.valueFrom?.configMapKeyRef) expect(configMapData(entry.valueFrom.configMapKeyRef.name)).toHaveProperty(entry.valueFrom.configMapKeyRef.key);
          if (entry.valueFrom?.secretKeyRef) expect(EXPECTED_SECRETS).toContainEqual(entry.valueFrom.secretKeyRef);
        }
      }
    }
  });

  it('declares every TopicSpec as a Strimzi KafkaTopic with the same partitions and config', () => {
    const topics = all('KafkaTopic');
    const topicName = (topic: K8sObject) => (topic.spec as { topicName?: string }).topicName ?? topic.metadata.name;
    const replicationFactor = Number(configMapData(CONFIG_MAP).KAFKA_REPLICATION_FACTOR ?? '1');
    for (const spec of TopicSpecs) {
      const matching = topics.filter((topic) => topicName(topic) === spec.name);
      expect([spec.name, matching.length]).toEqual([spec.name, 1]);
      const [topic] = matching;
      expect(topic.apiVersion).toBe('kafka.strimzi.io/v1beta2');
      expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe(KAFKA_CLUSTER);
      const declared = topic.spec as { partitions: number; replicas: number; config?: Record<string, unknown> };
      expect(declared.partitions).toBe(spec.partitions);
      // Strimzi passes config values on as strings; compare them as Kafka sees them.
      const config = Object.fromEntries(Object.entries(declared.config ?? {}).map(([key, value]) => [key, String(value)]));
      expect(config).toEqual(spec.config);
      // Topics a service creates itself (dead letters) get KAFKA_REPLICATION_FACTOR: keep the two equal.
      expect(declared.replicas).toBe(replicationFactor);
    }
    // ... and no KafkaTopic for a topic the code no longer has.
    expect(topics.map(topicName).sort()).toEqual(TopicSpecs.map((spec) => spec.name).sort());
  });

  it('points KAFKA_BROKERS at that Strimzi cluster and keeps topic names un-namespaced', () => {
    const config = configMapData(CONFIG_MAP);
    expect(config.KAFKA_BROKERS).toBe(`${KAFKA_CLUSTER}-kafka-bootstrap:9092`);
    // A namespace would prefix every topic name and miss the KafkaTopics above.
    expect(config.KAFKA_TOPIC_NAMESPACE).toBeUndefined();
  });

  it("runs pods as the Dockerfile's numeric non-root user", () => {
    const user = /^USER\s+(\d+)(?::(\d+))?\s*$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(user).not.toBeNull();
    expect(Number(user?.[1])).toBeGreaterThan(0);
    for (const workload of [...all('Deployment'), ...all('Job')]) {
      expect(template(workload).spec.securityContext?.runAsUser).toBe(Number(user?.[1]));
    }
  });
});

// --- the in-repo renderer ------------------------------------------------------------------------

describe('in-repo kustomize renderer (k8s/test/render-kustomization.ts)', () => {
  const sorted = (list: K8sObject[]) => [...list].sort((a, b) => resourceId(a).localeCompare(resourceId(b)));

  (byKubectl ? it : it.skip)('renders exactly what kubectl kustomize renders', () => {
    if (inRepo.error) throw inRepo.error;
    expect(sorted(inRepo.objects ?? [])).toEqual(sorted(byKubectl ?? []));
  });

  describe('refuses what it does not implement', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'niryat-kustomize-'));
      writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  A: "1"\n');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      ['namePrefix', 'namePrefix: x-'],
      ['commonLabels', 'commonLabels:\n  a: b'],
      ['patches', 'patches: []'],
      ['configMapGenerator', 'configMapGenerator: []'],
      ['secretGenerator', 'secretGenerator: []'],
      ['components', 'components: []'],
      ['includeSelectors', 'labels:\n  - pairs:\n      a: b\n    includeSelectors: true'],
    ])('%s', (feature, yaml) => {
      writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - cm.yaml\n${yaml}\n`);
      expect(() => renderKustomization(dir)).toThrow(feature);
    });

    it('a kind whose transformation it does not know', () => {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - role.yaml\n');
      writeFileSync(join(dir, 'role.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n');
      expect(() => renderKustomization(dir)).toThrow('ClusterRole');
    });

    it('a resource listed twice', () => {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - cm.yaml\n  - again.yaml\n');
      writeFileSync(join(dir, 'again.yaml'), readFileSync(join(dir, 'cm.yaml'), 'utf8'));
      expect(() => renderKustomization(dir)).toThrow('already registered');
    });
  });
});

// --- no credentials in k8s/ ----------------------------------------------------------------------

describe('k8s/ holds no credentials', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  /** What may stand where a secret would: `<password>`, `$PGPASSWORD`, `${PGPASSWORD}`, `***`. */
  const PLACEHOLDER = /^(<[^<>]+>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\*+)$/;
  const CREDENTIALS_IN_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:([^\s@'"`]+)@/gi;
  // `password: <value>`, `POSTGRES_PASSWORD=<value>`, `apiKey: "<value>"`: all lower or all upper case (a key, not prose).
  const SECRET_ASSIGNMENT =
    /(?:^|[^A-Za-z])(?:password|passwd|pwd|secret|token|api[_-]?key|apiKey|PASSWORD|PASSWD|PWD|SECRET|TOKEN|API[_-]?KEY)["']?\s*[:=]\s*["']?([^\s"'`,;)}{[(][^\s"'`,;)}]*)/gm;

  it.each(files(K8S).map((path) => relative(ROOT, path)))('%s', (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    const found: string[] = [];
    for (const match of text.matchAll(CREDENTIALS_IN_URL)) if (!PLACEHOLDER.test(match[1])) found.push(match[0]);
    for (const match of text.matchAll(SECRET_ASSIGNMENT)) if (!PLACEHOLDER.test(match[1])) found.push(match[0].trim());
    if (/\.ya?ml$/.test(path)) {
      if (/^kind:\s*Secret\s*$/m.test(text)) found.push('kind: Secret');
      if (/^\s*secretGenerator:/m.test(text)) found.push('secretGenerator');
      if (/^\s*(data|stringData):/m.test(text) && /^kind:\s*Secret/m.test(text)) found.push('Secret data');
    }
    expect(found).toEqual([]);
  });
});

// --- docker-compose.yml --------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  interface ComposeService {
    image?: string;
    build?: unknown;
    command?: string[] | string;
    environment?: Record<string, string | number>;
    ports?: string[];
    healthcheck?: { test: string[] | string };
    depends_on?: Record<string, { condition: string }>;
  }
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;
  const healthcheck = (service: ComposeService) => [service.healthcheck?.test ?? []].flat().join(' ');

  it('runs Kafka (official image, KRaft, single node) and PostgreSQL (official image) with health checks', () => {
    const kafka = services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:\d/);
    expect(String(kafka.environment?.KAFKA_PROCESS_ROLES).split(',').sort()).toEqual(['broker', 'controller']);
    expect(String(kafka.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain('PLAINTEXT://kafka:9092');
    for (const key of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']) {
      expect([key, String(kafka.environment?.[key])]).toEqual([key, '1']);
    }
    expect(healthcheck(kafka)).toContain('kafka-broker-api-versions.sh');

    const postgres = services.postgres;
    expect(postgres.image).toMatch(/^postgres:\d/);
    expect(healthcheck(postgres)).toContain('pg_isready');
  });

  it('migrates every app once, after PostgreSQL is healthy', () => {
    const migrate = services.migrate;
    expect(migrate.depends_on?.postgres?.condition).toBe('service_healthy');
    const script = [migrate.command ?? []].flat().join(' ');
    expect(script).toContain('dist/apps/$${service}/src/migrate.js');
    expect(script).toContain(APPS.map((app) => app.name).join(' '));
  });

  it.each(APPS)('runs $name on port $port once Kafka, PostgreSQL and the migrations are ready', ({ name, port }) => {
    const service = services[name];
    expect(service.image).toBe(services.migrate.image);
    expect(service.build).toBeDefined();
    expect(service.command).toEqual(['node', '-r', './tools/run/dist-paths.js', `dist/apps/${name}/src/main.js`]);
    expect(service.ports).toEqual([`${port}:${port}`]);
    expect(String(service.environment?.PORT)).toBe(String(port));
    expect(String(service.environment?.KAFKA_BROKERS)).toBe('kafka:9092');
    expect(String(service.environment?.DATABASE_URL)).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(healthcheck(service)).toContain(`http://127.0.0.1:${port}/health`);
    expect(service.depends_on).toEqual({
      kafka: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
  });
});
