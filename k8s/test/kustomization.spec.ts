import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { KAFKA_ACCESS, TopicSpecs } from '@niryat/contracts';
import { aclTuples, kafkaTopicsYaml, kafkaUsersYaml, KAFKA_CLUSTER, STRIMZI_API, StrimziAcl } from './kafka-manifests';
import {
  APPS,
  CONFIG_MAP,
  Container,
  declaredDefaultPort,
  fileExists,
  K8S,
  KAFKA_CA_SECRET,
  KUSTOMIZATIONS,
  matches,
  NAMESPACE,
  Objects,
  onlyContainer,
  Probe,
  portNumber,
  rendering,
  ROOT,
  template,
} from './manifests';
import { K8sObject, renderKustomization, resourceId } from './render-kustomization';

/** The Secrets (and keys) each kustomization's workloads may reference: created in the cluster, never committed. */
const DATABASE_SECRET = { base: { name: 'niryat-database', key: 'url' }, 'overlays/dev': { name: 'niryat-database', key: 'url' }, 'overlays/prod': { name: 'niryat-db-app', key: 'uri' } };
const AUTH_SECRET = { name: 'niryat-auth', key: 'credentials' };
const PARTNER_KEYS_SECRET = { name: 'niryat-partner-keys', key: 'encryption-key' };
/** The same rule the services apply to KAFKA_BROKERS at boot (libs/platform/src/config/service-env.ts). */
const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;
/** PostgreSQL's statement_timeout of every service connection (libs/persistence/src/data-source-options.ts). */
const STATEMENT_TIMEOUT_SECONDS = (() => {
  const source = readFileSync(join(ROOT, 'libs', 'persistence', 'src', 'data-source-options.ts'), 'utf8');
  const match = /statement_timeout:\s*([\d_]+)/.exec(source);
  if (!match) throw new Error('libs/persistence/src/data-source-options.ts sets no statement_timeout');
  return Number(match[1].replace(/_/g, '')) / 1000;
})();

/** The script a container runs, checked against the compiled layout `dist/apps/<app>/src/<entry>.js`. */
function expectEntryPoint(container: Container, app: string, entry: 'main' | 'migrate'): void {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  expect(argv).toEqual(['node', '-r', './tools/run/dist-paths.js', `dist/apps/${app}/src/${entry}.js`]);
  expect(fileExists('apps', app, 'src', `${entry}.ts`)).toBe(true);
  expect(fileExists('tools', 'run', 'dist-paths.js')).toBe(true);
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

// --- every kustomization, rendered ---------------------------------------------------------------

describe.each(KUSTOMIZATIONS)('k8s/%s', (name) => {
  const { objects: list, renderer } = rendering(name);
  const objects = new Objects(list);
  const databaseSecret = DATABASE_SECRET[name];


  it(`renders (with ${renderer}) no resource twice, all in the ${NAMESPACE} namespace, labelled part-of niryat`, () => {
    const ids = list.map(resourceId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const kindNames = list.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kindNames.filter((id, i) => kindNames.indexOf(id) !== i)).toEqual([]);
    for (const object of list) {
      expect(`${resourceId(object)} ${object.metadata.namespace}`).toBe(`${resourceId(object)} ${NAMESPACE}`);
      expect(object.metadata.labels?.['app.kubernetes.io/part-of']).toBe('niryat');
    }
  });

  it('commits no Secret: credentials are created in the cluster, or by the operators (k8s/README.md)', () => {
    expect(objects.all('Secret')).toEqual([]);
  });

  it('runs one image, pinned to a tag, in every container', () => {
    const images = new Set([...objects.all('Deployment'), ...objects.all('Job')].flatMap((w) => template(w).spec.containers.map((c) => c.image)));
    expect(images.size).toBe(1);
    const [image] = [...images];
    expect(image).toMatch(/^[a-z0-9./:-]*niryat(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/);
    expect(image).not.toMatch(/:latest$/);
  });

  describe.each(APPS)('$name', ({ name: app, port }) => {
    it(`has a Deployment and a Service on port ${port}, the app's default port`, () => {
      expect(declaredDefaultPort(app)).toBe(port);
      const container = onlyContainer(objects.one('Deployment', app));
      expect(container.ports?.find((p) => p.name === 'http')?.containerPort).toBe(port);
      expect(objects.effectiveEnv(container).get('PORT')?.value).toBe(String(port));
      const servicePorts = (objects.one('Service', app).spec as { ports: { port: number; targetPort: number | string }[] }).ports;
      expect(servicePorts).toHaveLength(1);
      expect(portNumber(container, servicePorts[0].targetPort)).toBe(port);
    });

    it('routes the Service, PodDisruptionBudget, NetworkPolicy, ServiceMonitor and scaler to the server pods only', () => {
      const deployment = objects.one('Deployment', app);
      const podLabels = template(deployment).metadata?.labels;
      const matchLabels = (object: K8sObject, path: 'selector' | 'podSelector') =>
        ((object.spec as Record<string, { matchLabels?: Record<string, string> } & Record<string, string>>)[path].matchLabels ??
          (object.spec as Record<string, Record<string, string>>)[path]) as Record<string, string>;
      const selectors = [
        matchLabels(deployment, 'selector'),
        (objects.one('Service', app).spec as { selector: Record<string, string> }).selector,
        matchLabels(objects.one('PodDisruptionBudget', app), 'selector'),
        matchLabels(objects.one('NetworkPolicy', app), 'podSelector'),
      ];
      for (const selector of selectors) {
        expect(matches(selector, podLabels)).toBe(true);
        // A running migration pod must never receive traffic, count as a replica or lose its own policy.
        for (const job of objects.all('Job')) expect(matches(selector, template(job).metadata?.labels)).toBe(false);
      }
      // Prometheus finds the pods through the Service: the ServiceMonitor selects it, on its http port.
      const monitor = objects.one('ServiceMonitor', app).spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
      expect(matches(monitor.selector.matchLabels, objects.one('Service', app).metadata.labels)).toBe(true);
      expect(monitor.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
      expect((objects.one('Service', app).spec as { ports: { name: string }[] }).ports[0].name).toBe('http');
      // KEDA scales this Deployment, and the Deployment leaves the count to it.
      expect((objects.one('ScaledObject', app).spec as { scaleTargetRef: { name: string; kind?: string } }).scaleTargetRef).toEqual({ name: app });
      expect((deployment.spec as { replicas?: number }).replicas).toBeUndefined();
    });

    it('probes liveness on GET /health/live and readiness on GET /health/ready, on the container port', () => {
      const container = onlyContainer(objects.one('Deployment', app));
      const expected = { startup: '/health/live', readiness: '/health/ready', liveness: '/health/live' };
      const probes: Record<string, Probe | undefined> = { startup: container.startupProbe, readiness: container.readinessProbe, liveness: container.livenessProbe };
      for (const [kind, path] of Object.entries(expected)) {
        const probe = probes[kind];
        expect([kind, probe?.httpGet?.path]).toEqual([kind, path]);
        expect([kind, portNumber(container, probe?.httpGet?.port)]).toEqual([kind, port]);
        expect([kind, probe?.httpGet?.scheme ?? 'HTTP']).toEqual([kind, 'HTTP']);
      }
      // The startup probe gives a slow boot (database retries, Kafka connect) minutes, not seconds.
      const window = (probe: Probe | undefined) => (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);
      expect(window(probes.startup)).toBeGreaterThanOrEqual(120);
    });

    it(`stops gracefully: the grace period outlasts a batch (statement_timeout ${STATEMENT_TIMEOUT_SECONDS} s) and the preStop pause`, () => {
      const deployment = objects.one('Deployment', app);
      const container = onlyContainer(deployment);
      const pause = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(template(deployment).spec.terminationGracePeriodSeconds ?? 30).toBeGreaterThan(STATEMENT_TIMEOUT_SECONDS + pause);
    });

    it(`gets DATABASE_URL from the ${databaseSecret.name} Secret, API credentials from niryat-auth, Kafka as niryat-${app} over TLS`, () => {
      const container = onlyContainer(objects.one('Deployment', app));
      const env = objects.effectiveEnv(container);
      expect(env.get('DATABASE_URL')?.value).toBeUndefined();
      expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual(databaseSecret);
      expect(env.get('AUTH_CREDENTIALS')?.valueFrom?.secretKeyRef).toEqual(AUTH_SECRET);
      expect(env.get('KAFKA_BROKERS')?.value).toMatch(HOST_PORT_LIST);
      expect(env.get('KAFKA_SASL_MECHANISM')?.value).toBe('scram-sha-512');
      expect(env.get('KAFKA_SASL_USERNAME')?.value).toBe(`niryat-${app}`);
      expect(env.get('KAFKA_SASL_PASSWORD')).toBeUndefined(); // a file, so a rotated password needs no restart
      expect(env.get('KAFKA_SSL')?.value).toBe('true');
      expect(env.get('DB_MIGRATE_ON_START')?.value ?? 'false').toBe('false');
      // Topic names stay un-namespaced: a namespace would prefix every topic and miss the KafkaTopics and ACLs.
      expect(env.get('KAFKA_TOPIC_NAMESPACE')).toBeUndefined();
    });

    it('runs its main.js as a non-root user with a read-only root filesystem and resource limits', () => {
      const deployment = objects.one('Deployment', app);
      const container = onlyContainer(deployment);
      expectEntryPoint(container, app, 'main');
      expectHardened(deployment, container);
    });

    it(`has a migration Job running ${app}'s migrate.js with the same configuration`, () => {
      const job = objects.one('Job', `${app}-migrate`);
      const container = onlyContainer(job);
      expectEntryPoint(container, app, 'migrate');
      expect(['Never', 'OnFailure']).toContain(template(job).spec.restartPolicy);
      const env = objects.effectiveEnv(container);
      expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual(databaseSecret);
      expect(env.get('KAFKA_BROKERS')?.value).toMatch(HOST_PORT_LIST); // validated at boot by migrate.js too
      expectHardened(job, container);
      expect(job.metadata.labels?.['release-phase']).toBe('pre-deploy');
    });
  });

  it('has no Deployment, Service or Job for an app that does not exist', () => {
    const names = APPS.map((app) => app.name).sort();
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'ScaledObject', 'ServiceMonitor']) {
      expect([kind, objects.all(kind).map((d) => d.metadata.name).sort()]).toEqual([kind, names]);
    }
    expect(objects.all('Job').map((j) => j.metadata.name).sort()).toEqual(names.map((n) => `${n}-migrate`));
  });

  it('gives the exports service its partner-key encryption key from a Secret, and no other service', () => {
    for (const app of APPS) {
      const entry = objects.effectiveEnv(onlyContainer(objects.one('Deployment', app.name))).get('PARTNER_KEY_ENCRYPTION_KEY');
      if (app.name === 'exports') expect(entry?.valueFrom?.secretKeyRef).toEqual(PARTNER_KEYS_SECRET);
      else expect(entry).toBeUndefined();
    }
  });

  it("references only ConfigMaps it defines, and Secrets by name only: the known ones, each service's own Kafka user", () => {
    for (const workload of [...objects.all('Deployment'), ...objects.all('Job')]) {
      const app = template(workload).metadata?.labels?.['app.kubernetes.io/name'];
      const known = [databaseSecret, AUTH_SECRET, PARTNER_KEYS_SECRET];
      const mountable = [`niryat-${app}`, KAFKA_CA_SECRET.name, ...(name === 'overlays/prod' ? ['niryat-db-ca'] : [])];
      for (const container of template(workload).spec.containers) {
        for (const source of container.envFrom ?? []) if (source.configMapRef) objects.one('ConfigMap', source.configMapRef.name);
        for (const entry of container.env ?? []) {
          const ref = entry.valueFrom?.configMapKeyRef;
          if (ref) expect(objects.configMapData(ref.name)).toHaveProperty(ref.key);
          if (entry.valueFrom?.secretKeyRef) expect(known).toContainEqual(entry.valueFrom.secretKeyRef);
        }
      }
      for (const volume of template(workload).spec.volumes ?? []) {
        if (volume.secret) expect(mountable).toContain(volume.secret.secretName);
        expect(volume.secret?.optional ?? false).toBe(false);
      }
    }
  });

  it('declares every TopicSpec as a Strimzi v1 KafkaTopic with the same partitions and config, and as many replicas as services give their own topics', () => {
    const topics = objects.all('KafkaTopic');
    const topicName = (topic: K8sObject) => (topic.spec as { topicName?: string }).topicName ?? topic.metadata.name;
    const replicationFactor = Number(objects.configMapData(CONFIG_MAP).KAFKA_REPLICATION_FACTOR ?? '1');
    for (const spec of TopicSpecs) {
      const matching = topics.filter((topic) => topicName(topic) === spec.name);
      expect([spec.name, matching.length]).toEqual([spec.name, 1]);
      const [topic] = matching;
      expect(topic.apiVersion).toBe(STRIMZI_API);
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

  it('runs a Strimzi Kafka in KRaft with a node pool, a TLS + SCRAM-SHA-512 listener the services use, and the simple authorizer', () => {
    const kafka = objects.one('Kafka', KAFKA_CLUSTER);
    expect(kafka.apiVersion).toBe(STRIMZI_API);
    const spec = kafka.spec as {
      kafka: { listeners: { name: string; port: number; type: string; tls: boolean; authentication?: { type: string } }[]; authorization?: { type: string }; config: Record<string, unknown> };
      entityOperator?: { topicOperator?: unknown; userOperator?: unknown };
      zookeeper?: unknown;
    };
    expect(spec.zookeeper).toBeUndefined();
    expect(spec.kafka.authorization?.type).toBe('simple');
    expect(spec.entityOperator?.topicOperator).toBeDefined();
    expect(spec.entityOperator?.userOperator).toBeDefined();
    // Every listener authenticates over TLS: nothing on the cluster is reachable anonymously or in clear.
    for (const listener of spec.kafka.listeners) expect([listener.name, listener.tls, listener.authentication?.type]).toEqual([listener.name, true, 'scram-sha-512']);
    const brokers = objects.configMapData(CONFIG_MAP).KAFKA_BROKERS;
    const internal = spec.kafka.listeners.filter((listener) => listener.type === 'internal');
    expect(internal).toHaveLength(1);
    expect(brokers).toBe(`${KAFKA_CLUSTER}-kafka-bootstrap:${internal[0].port}`);
    const pools = objects.all('KafkaNodePool').filter((pool) => pool.metadata.labels?.['strimzi.io/cluster'] === KAFKA_CLUSTER);
    const roles = pools.flatMap((pool) => (pool.spec as { roles: string[] }).roles);
    expect(new Set(roles)).toEqual(new Set(['controller', 'broker']));
    // Replication as the topics have it: the brokers can hold every replica, and min ISR leaves one to lose (prod).
    const brokersCount = pools.filter((pool) => (pool.spec as { roles: string[] }).roles.includes('broker')).reduce((n, pool) => n + (pool.spec as { replicas: number }).replicas, 0);
    const replicas = Number(objects.configMapData(CONFIG_MAP).KAFKA_REPLICATION_FACTOR);
    expect(brokersCount).toBeGreaterThanOrEqual(replicas);
    expect(Number(spec.kafka.config['default.replication.factor'])).toBe(replicas);
    expect(Number(spec.kafka.config['min.insync.replicas'])).toBeLessThanOrEqual(Math.max(1, replicas - 1));
    expect(String(spec.kafka.config['auto.create.topics.enable'])).toBe('false');
  });

  it('has a KafkaUser per principal of KAFKA_ACCESS with SCRAM-SHA-512 and exactly the ACLs its declaration implies', () => {
    const users = objects.all('KafkaUser');
    expect(users.map((user) => user.metadata.name).sort()).toEqual(KAFKA_ACCESS.map((access) => access.principal).sort());
    for (const access of KAFKA_ACCESS) {
      const user = objects.one('KafkaUser', access.principal);
      const spec = user.spec as { authentication: { type: string }; authorization: { type: string; acls: StrimziAcl[] } };
      expect(user.metadata.labels?.['strimzi.io/cluster']).toBe(KAFKA_CLUSTER);
      expect(spec.authentication.type).toBe('scram-sha-512');
      expect(spec.authorization.type).toBe('simple');
      // Read from the declaration here, independently of the generator: writes -> Write, Describe
      // (+ Create for a service); reads -> Read, Describe; groups -> Read.
      const expected = [
        ...access.writes.flatMap((r) => ['Write', 'Describe', ...(access.kind === 'service' ? ['Create'] : [])].map((op) => `topic:${r.pattern === 'prefixed' ? 'prefix' : 'literal'}:${r.name}:${op}`)),
        ...access.reads.flatMap((r) => ['Read', 'Describe'].map((op) => `topic:${r.pattern === 'prefixed' ? 'prefix' : 'literal'}:${r.name}:${op}`)),
        ...access.groups.map((r) => `group:${r.pattern === 'prefixed' ? 'prefix' : 'literal'}:${r.name}:Read`),
      ];
      expect([access.principal, aclTuples(spec.authorization.acls)]).toEqual([access.principal, [...new Set(expected)].sort()]);
      // Nothing beyond: no wildcard, no cluster or transactional-id rights, only allow rules on every host.
      for (const acl of spec.authorization.acls as (StrimziAcl & { type?: string; host?: string })[]) {
        expect(acl.type ?? 'allow').toBe('allow');
        expect(acl.host ?? '*').toBe('*');
        expect(acl.resource.name).not.toBe('*');
      }
    }
  });

  it('applies in the pre-deploy phase everything the migration Jobs need: config, Kafka and its users, the database, their NetworkPolicy', () => {
    const preDeploy = (object: K8sObject) => object.metadata.labels?.['release-phase'] === 'pre-deploy';
    const needed = [
      ...objects.all('Job'),
      objects.one('ConfigMap', CONFIG_MAP),
      objects.one('NetworkPolicy', 'niryat-migrations'),
      ...objects.all('Kafka'),
      ...objects.all('KafkaNodePool'),
      ...objects.all('KafkaTopic'),
      ...objects.all('KafkaUser'),
      ...objects.all('Cluster'),
    ];
    expect(needed.filter((object) => !preDeploy(object)).map(resourceId)).toEqual([]);
    // ... and nothing that serves traffic: the services roll out only after the migrations.
    const early = [...objects.all('Deployment'), ...objects.all('ScaledObject'), ...objects.all('Service')].filter(preDeploy);
    expect(early.map(resourceId)).toEqual([]);
  });

  it("runs pods as the Dockerfile's numeric non-root user", () => {
    const user = /^USER\s+(\d+)(?::(\d+))?\s*$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(user).not.toBeNull();
    expect(Number(user?.[1])).toBeGreaterThan(0);
    for (const workload of [...objects.all('Deployment'), ...objects.all('Job')]) {
      expect(template(workload).spec.securityContext?.runAsUser).toBe(Number(user?.[1]));
    }
  });
});

describe('the overlays', () => {
  const prod = new Objects(rendering('overlays/prod').objects);
  const dev = new Objects(rendering('overlays/dev').objects);

  it('prod: a CloudNativePG Cluster that refuses plain-text connections, and every service verifying its certificate', () => {
    const cluster = prod.one('Cluster', 'niryat-db');
    const spec = cluster.spec as { instances: number; bootstrap: { initdb: { database: string; owner: string } }; postgresql: { pg_hba: string[] } };
    expect(spec.instances).toBeGreaterThanOrEqual(2);
    expect(spec.bootstrap.initdb).toEqual(expect.objectContaining({ database: 'niryat', owner: 'niryat' }));
    expect(spec.postgresql.pg_hba).toEqual(expect.arrayContaining(['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject']));
    const config = prod.configMapData(CONFIG_MAP);
    expect(config.DATABASE_SSL_MODE).toBe('verify-full');
    for (const workload of [...prod.all('Deployment'), ...prod.all('Job')]) {
      expect(prod.effectiveEnv(onlyContainer(workload)).get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'niryat-db-app', key: 'uri' });
    }
  });

  it('dev: one broker, one replica of everything Kafka holds, at most two pods per service', () => {
    const pools = dev.all('KafkaNodePool');
    expect(pools.reduce((n, pool) => n + (pool.spec as { replicas: number }).replicas, 0)).toBe(1);
    for (const topic of dev.all('KafkaTopic')) expect((topic.spec as { replicas: number }).replicas).toBe(1);
    const config = (dev.one('Kafka', KAFKA_CLUSTER).spec as { kafka: { config: Record<string, unknown> } }).kafka.config;
    for (const key of ['default.replication.factor', 'min.insync.replicas', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'transaction.state.log.min.isr']) {
      expect([key, Number(config[key])]).toEqual([key, 1]);
    }
    for (const scaled of dev.all('ScaledObject')) expect((scaled.spec as { maxReplicaCount: number }).maxReplicaCount).toBeLessThanOrEqual(2);
  });
});

// --- generated from the declarations --------------------------------------------------------------

describe('k8s/base/kafka: generated from TopicSpecs and KAFKA_ACCESS', () => {
  const documents = (text: string) => parseAllDocuments(text).map((document) => document.toJS() as unknown);
  it.each([
    ['topics.yaml', kafkaTopicsYaml],
    ['users.yaml', kafkaUsersYaml],
  ])('%s holds what k8s/test/generate-kafka-manifests.ts writes (run it after changing a topic or a principal)', (file, generate) => {
    expect(documents(readFileSync(join(K8S, 'base', 'kafka', file), 'utf8'))).toEqual(documents(generate()));
  });
});

// --- the in-repo renderer ------------------------------------------------------------------------

describe('in-repo kustomize renderer (k8s/test/render-kustomization.ts)', () => {
  const sorted = (list: K8sObject[]) => [...list].sort((a, b) => resourceId(a).localeCompare(resourceId(b)));

  it.each(KUSTOMIZATIONS)('renders k8s/%s exactly as kubectl kustomize does', (name) => {
    const { byKubectl, inRepo } = rendering(name);
    if (!byKubectl) return; // nothing to compare with on a machine without kubectl
    if (inRepo.error) throw inRepo.error;
    expect(sorted(inRepo.objects ?? [])).toEqual(sorted(byKubectl));
  });

  describe('with a kustomization of its own', () => {
    let dir: string;
    const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'niryat-kustomize-'));
      write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    tier: a\ndata:\n  A: "1"\n  B: "2"\n');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      ['namePrefix', 'namePrefix: x-'],
      ['commonLabels', 'commonLabels:\n  a: b'],
      ['configMapGenerator', 'configMapGenerator: []'],
      ['secretGenerator', 'secretGenerator: []'],
      ['components', 'components: []'],
      ['includeSelectors', 'labels:\n  - pairs:\n      a: b\n    includeSelectors: true'],
      ['strategic merge', 'patches:\n  - target:\n      kind: ConfigMap\n    patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: c\n      data:\n        A: "9"'],
      ['a target', 'patches:\n  - patch: |-\n      - op: remove\n        path: /data/A'],
      ['matches no resource', 'patches:\n  - target:\n      kind: Service\n    patch: |-\n      - op: remove\n        path: /data/A'],
      ['test failed', 'patches:\n  - target:\n      kind: ConfigMap\n    patch: |-\n      - op: test\n        path: /data/A\n        value: "2"'],
      ['move', 'patches:\n  - target:\n      kind: ConfigMap\n    patch: |-\n      - op: move\n        from: /data/A\n        path: /data/C'],
    ])('refuses %s', (feature, yaml) => {
      write('kustomization.yaml', `resources:\n  - cm.yaml\n${yaml}\n`);
      expect(() => renderKustomization(dir)).toThrow(feature);
    });

    it('refuses a kind whose transformation it does not know', () => {
      write('kustomization.yaml', 'resources:\n  - role.yaml\n');
      write('role.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n');
      expect(() => renderKustomization(dir)).toThrow('ClusterRole');
    });

    it('refuses a resource listed twice', () => {
      write('kustomization.yaml', 'resources:\n  - cm.yaml\n  - again.yaml\n');
      write('again.yaml', readFileSync(join(dir, 'cm.yaml'), 'utf8'));
      expect(() => renderKustomization(dir)).toThrow('already registered');
    });

    it('applies JSON 6902 patches (inline and from a file) to the targets a kind, name or label selector picks', () => {
      write('ops.yaml', '- op: add\n  path: /data/C\n  value: "3"\n');
      write(
        'kustomization.yaml',
        [
          'resources:\n  - cm.yaml',
          'patches:',
          '  - target:\n      kind: ConfigMap\n      name: c|d\n      labelSelector: tier=a',
          '    patch: |-\n      - op: test\n        path: /data/A\n        value: "1"\n      - op: replace\n        path: /data/A\n        value: "9"\n      - op: remove\n        path: /data/B',
          '  - target:\n      kind: ConfigMap\n    path: ops.yaml',
          '',
        ].join('\n'),
      );
      expect(renderKustomization(dir)[0].data).toEqual({ A: '9', C: '3' });
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
  // `password: <value>`, `POSTGRES_PASSWORD=<value>`, `apiKey: "<value>"` on one line: all lower or all upper case
  // (a key, not prose; a Kubernetes volume's `secret:` mapping starts on the next line).
  const SECRET_ASSIGNMENT =
    /(?:^|[^A-Za-z])(?:password|passwd|pwd|secret|token|api[_-]?key|apiKey|PASSWORD|PASSWD|PWD|SECRET|TOKEN|API[_-]?KEY)["']?[ \t]*[:=][ \t]*["']?([^\s"'`,;)}{[(][^\s"'`,;)}]*)/gm;

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
