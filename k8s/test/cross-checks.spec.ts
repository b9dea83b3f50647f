import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { accessOf, KAFKA_ACCESS, PARTNER_ORDERS_TOPICS, servicePrincipal, Topics, TopicSpecs } from '@niryat/contracts';
import { aclTuples, KAFKA_CLUSTER, StrimziAcl } from './kafka-manifests';
import { APPS, AppName, CONFIG_MAP, KAFKA_CA_SECRET, NAMESPACE, Objects, onlyContainer, OVERLAYS, rendering, ROOT, template } from './manifests';

/*
 * The manifests against the code: the topics and consumer groups the services' consumers use, the
 * paths they take on the network, and KEDA's view of their lag.
 */

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(path) ? [path] : [];
  });
}

/** `export const NAME = 'value'` anywhere in a service's sources. */
function constantsOf(app: AppName): Map<string, string> {
  const constants = new Map<string, string>();
  for (const file of sources(join(ROOT, 'apps', app, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/export const ([A-Z][A-Z0-9_]*)\s*=\s*'([^']+)'/g)) constants.set(match[1], match[2]);
  }
  return constants;
}

interface ConsumerUse {
  file: string;
  group: string;
  topics: string[];
}

/**
 * The consumer groups a service runs and the topics each reads, from its sources: every class that
 * extends BatchConsumerHost, with the `groupId` of its options (or the group its parts are combined
 * under, as reporting's one consumer) and the `topics` of the options in that file.
 */
function consumersOf(app: AppName): ConsumerUse[] {
  const constants = constantsOf(app);
  const resolve = (name: string, file: string) => {
    const value = constants.get(name);
    if (!value) throw new Error(`${file}: consumer group ${name} is not an exported string constant of apps/${app}/src`);
    return value;
  };
  const all = sources(join(ROOT, 'apps', app, 'src'));
  const topicsIn = (text: string): string[] =>
    [...text.matchAll(/topics:\s*\[([^\]]*)\]/g)].flatMap((match) => [
      ...[...match[1].matchAll(/Topics\.(\w+)/g)].map((topic) => Topics[topic[1] as keyof typeof Topics]),
      ...(/PARTNER_TOPICS|PARTNER_ORDERS_TOPICS/.test(match[1]) ? PARTNER_ORDERS_TOPICS : []),
    ]);
  return all
    .filter((file) => /extends BatchConsumerHost\b/.test(readFileSync(file, 'utf8')))
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      const own = /groupId:\s*([A-Z][A-Z0-9_]*)/.exec(text);
      if (own) return { file: where, group: resolve(own[1], where), topics: topicsIn(text) };
      // A host of combined parts: the group they are combined under, and the topics of every part.
      const combined = all.map((candidate) => /combineConsumers\(([A-Z][A-Z0-9_]*)/.exec(readFileSync(candidate, 'utf8'))).find(Boolean);
      if (!combined) throw new Error(`${where}: a BatchConsumerHost whose group the test cannot find (groupId: CONSTANT, or combineConsumers(CONSTANT, ...))`);
      return { file: where, group: resolve(combined[1], where), topics: [...new Set(all.flatMap((candidate) => topicsIn(readFileSync(candidate, 'utf8'))))] };
    });
}

const CONSUMERS = Object.fromEntries(APPS.map(({ name }) => [name, consumersOf(name)])) as Record<AppName, ConsumerUse[]>;

function aclAllows(acls: readonly StrimziAcl[], type: 'topic' | 'group', name: string, operation: string): boolean {
  return acls.some(
    (acl) => acl.resource.type === type && acl.operations.includes(operation) && (acl.resource.patternType === 'literal' ? acl.resource.name === name : name.startsWith(acl.resource.name)),
  );
}

interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: unknown;
}
interface Rule {
  to?: Peer[];
  from?: Peer[];
  ports?: { port: number | string; protocol?: string }[];
}
interface PolicySpec {
  podSelector: { matchLabels: Record<string, string> };
  policyTypes: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** Each egress rule in words: `<peer> <port>/<protocol>`, peers by their labels. */
function describeRules(rules: readonly Rule[] | undefined, side: 'to' | 'from'): string[] {
  const peer = (p: Peer | undefined) =>
    p === undefined
      ? 'anywhere'
      : [
          p.namespaceSelector ? `ns{${Object.entries(p.namespaceSelector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}}` : '',
          p.podSelector ? `pods{${Object.entries(p.podSelector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',')}}` : '',
          p.ipBlock ? 'ipBlock' : '',
        ].join('');
  return (rules ?? [])
    .flatMap((rule) => (rule[side] ?? [undefined]).flatMap((p) => (rule.ports ?? [{ port: 'any' }]).map((port) => `${peer(p)} ${port.port}/${port.protocol ?? 'TCP'}`)))
    .sort();
}

describe('the code and the Kafka declaration', () => {
  it('finds consumers in the services that read topics (so the checks below check something)', () => {
    expect(CONSUMERS.exports.length).toBeGreaterThan(0);
    expect(CONSUMERS.reporting.length).toBeGreaterThan(0);
    expect(CONSUMERS.training.length).toBeGreaterThan(0);
  });

  it.each(APPS.map(({ name }) => name))("%s's KafkaUser may read every topic its consumers read, and join every group they use", (app) => {
    const user = new Objects(rendering('overlays/prod').objects).one('KafkaUser', servicePrincipal(app));
    const acls = (user.spec as { authorization: { acls: StrimziAcl[] } }).authorization.acls;
    for (const consumer of CONSUMERS[app]) {
      for (const topic of consumer.topics) expect([consumer.file, topic, aclAllows(acls, 'topic', topic, 'Read')]).toEqual([consumer.file, topic, true]);
      expect([consumer.file, consumer.group, aclAllows(acls, 'group', consumer.group, 'Read')]).toEqual([consumer.file, consumer.group, true]);
    }
  });

  it('has a KafkaTopic for every topic a principal may write or read by name, and every topic of the Topics map and of every partner', () => {
    const topics = new Set(new Objects(rendering('overlays/prod').objects).all('KafkaTopic').map((topic) => (topic.spec as { topicName: string }).topicName));
    const used = [
      ...KAFKA_ACCESS.flatMap((access) => [...access.writes, ...access.reads].filter((r) => r.pattern === 'literal').map((r) => r.name)),
      ...Object.values(Topics),
      ...PARTNER_ORDERS_TOPICS,
      ...Object.values(CONSUMERS).flatMap((consumers) => consumers.flatMap((consumer) => consumer.topics)),
    ];
    expect([...new Set(used)].filter((topic) => !topics.has(topic))).toEqual([]);
    // Only the domain topics are declared; dead letters (prefix ACLs with Create) are the services' own.
    expect(TopicSpecs.every((spec) => topics.has(spec.name))).toBe(true);
  });

  it('lets no service write another service\'s topics, and no partner write anything but its own orders topic', () => {
    const writers = new Map<string, string[]>();
    for (const access of KAFKA_ACCESS) for (const r of access.writes) writers.set(r.name, [...(writers.get(r.name) ?? []), access.principal]);
    for (const topic of [Topics.onboardingSeller, Topics.onboardingProgramme]) expect(writers.get(topic)).toEqual(['niryat-onboarding']);
    expect(writers.get(Topics.exports)).toEqual(['niryat-exports']);
    expect(writers.get(Topics.training)).toEqual(['niryat-training']);
    for (const access of KAFKA_ACCESS.filter((a) => a.kind === 'partner')) {
      expect(aclTuples((new Objects(rendering('overlays/prod').objects).one('KafkaUser', access.principal).spec as { authorization: { acls: StrimziAcl[] } }).authorization.acls)).toEqual(
        access.writes.flatMap((r) => [`topic:literal:${r.name}:Describe`, `topic:literal:${r.name}:Write`]).sort(),
      );
    }
  });
});

describe.each(OVERLAYS)('k8s/%s against the code', (overlay) => {
  const objects = new Objects(rendering(overlay).objects);
  const kafka = objects.one('Kafka', KAFKA_CLUSTER).spec as {
    kafka: { listeners: { name: string; port: number; type: string; networkPolicyPeers?: Peer[] }[] };
  };
  const internal = kafka.kafka.listeners.find((listener) => listener.type === 'internal');
  const config = objects.configMapData(CONFIG_MAP);
  const cluster = overlay === 'overlays/prod' ? objects.one('Cluster', 'niryat-db').metadata.name : undefined;
  const postgres = cluster ? `pods{cnpg.io/cluster=${cluster},cnpg.io/podRole=instance} 5432/TCP` : 'anywhere 5432/TCP';
  const dns = ['ns{kubernetes.io/metadata.name=kube-system}pods{k8s-app=kube-dns} 53/TCP', 'ns{kubernetes.io/metadata.name=kube-system}pods{k8s-app=kube-dns} 53/UDP'];

  describe.each(APPS.map(({ name }) => name))('%s', (app) => {
    const policy = objects.one('NetworkPolicy', app).spec as PolicySpec;

    it('may reach exactly the Kafka brokers (its listener), PostgreSQL and DNS, and is reached only on its http port by the ingress controller and Prometheus', () => {
      expect(policy.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      const kafkaPort = Number(config.KAFKA_BROKERS.split(':')[1]);
      expect(kafkaPort).toBe(internal?.port);
      expect(describeRules(policy.egress, 'to')).toEqual(
        [`pods{strimzi.io/broker-role=true,strimzi.io/cluster=${KAFKA_CLUSTER}} ${kafkaPort}/TCP`, postgres, ...dns].sort(),
      );
      expect(describeRules(policy.ingress, 'from')).toEqual(['ns{kubernetes.io/metadata.name=ingress-nginx} http/TCP', 'ns{kubernetes.io/metadata.name=monitoring} http/TCP']);
    });

    it('makes no HTTP call of its own: the services meet only on Kafka, so no policy lets one reach another', () => {
      const calls = sources(join(ROOT, 'apps', app, 'src')).filter((file) => /\bfetch\(|\bhttps?\.request\(|from 'axios'|from 'undici'/.test(readFileSync(file, 'utf8')));
      expect(calls.map((file) => relative(ROOT, file))).toEqual([]);
      for (const other of APPS.filter((candidate) => candidate.name !== app)) {
        const labels = template(objects.one('Deployment', other.name)).metadata?.labels ?? {};
        for (const rule of policy.egress ?? []) {
          for (const peer of rule.to ?? []) {
            const selector = peer.podSelector?.matchLabels;
            if (selector && !peer.namespaceSelector) expect(Object.entries(selector).every(([key, value]) => labels[key] === value)).toBe(false);
          }
        }
      }
      // Traces go nowhere unless an overlay turns the exporter on, and then it needs its own egress rule.
      expect(config.OTEL_TRACES_EXPORTER ?? 'none').toBe('none');
    });

    it('can be reached by the Kafka listener: the brokers accept its pods (networkPolicyPeers)', () => {
      const labels = template(objects.one('Deployment', app)).metadata?.labels ?? {};
      const peers = internal?.networkPolicyPeers ?? [];
      expect(peers.some((peer) => !peer.namespaceSelector && Object.entries(peer.podSelector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value))).toBe(true);
      // ... and migration pods, which never talk to Kafka, are not.
      const job = template(objects.one('Job', `${app}-migrate`)).metadata?.labels ?? {};
      expect(peers.some((peer) => !peer.namespaceSelector && Object.entries(peer.podSelector?.matchLabels ?? {}).every(([key, value]) => job[key] === value))).toBe(false);
    });

    it('scales on the lag of exactly the consumer groups it runs, logging in to Kafka as itself', () => {
      const scaled = objects.one('ScaledObject', app).spec as {
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      };
      const kafkaTriggers = scaled.triggers.filter((trigger) => trigger.type === 'kafka');
      expect(kafkaTriggers.map((trigger) => trigger.metadata.consumerGroup).sort()).toEqual(CONSUMERS[app].map((consumer) => consumer.group).sort());
      if (CONSUMERS[app].length === 0) expect(scaled.triggers.map((trigger) => trigger.type)).toEqual(['cpu']);
      const acls = (objects.one('KafkaUser', servicePrincipal(app)).spec as { authorization: { acls: StrimziAcl[] } }).authorization.acls;
      for (const trigger of kafkaTriggers) {
        // KEDA runs in its own namespace: the bootstrap Service by its full name, on the listener the services use.
        expect(trigger.metadata.bootstrapServers).toBe(`${KAFKA_CLUSTER}-kafka-bootstrap.${NAMESPACE}.svc:${internal?.port}`);
        expect([trigger.metadata.sasl, trigger.metadata.tls]).toEqual(['scram_sha512', 'enable']);
        expect(trigger.metadata.topic).toBeUndefined(); // every topic of the group counts
        expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
        expect(aclAllows(acls, 'group', trigger.metadata.consumerGroup, 'Read')).toBe(true);
        const auth = objects.one('TriggerAuthentication', trigger.authenticationRef?.name ?? '').spec as {
          secretTargetRef: { parameter: string; name: string; key: string }[];
          env: { parameter: string; name: string; containerName: string }[];
        };
        expect(auth.secretTargetRef.sort((a, b) => a.parameter.localeCompare(b.parameter))).toEqual([
          { parameter: 'ca', ...KAFKA_CA_SECRET },
          { parameter: 'password', name: servicePrincipal(app), key: 'password' },
        ]);
        expect(auth.env).toEqual([{ parameter: 'username', name: 'KAFKA_SASL_USERNAME', containerName: app }]);
        expect(objects.effectiveEnv(onlyContainer(objects.one('Deployment', app))).get('KAFKA_SASL_USERNAME')?.value).toBe(servicePrincipal(app));
      }
      // More pods than the busiest group has partitions would only idle; fewer than two lose availability in prod.
      const partitions = (topics: string[]) => topics.reduce((sum, topic) => sum + (TopicSpecs.find((spec) => spec.name === topic)?.partitions ?? 0), 0);
      const busiest = Math.max(0, ...CONSUMERS[app].map((consumer) => partitions(consumer.topics)));
      if (busiest > 0) expect(scaled.maxReplicaCount).toBeLessThanOrEqual(busiest);
      expect(scaled.minReplicaCount).toBeGreaterThanOrEqual(overlay === 'overlays/prod' ? 2 : 1);
      expect(scaled.minReplicaCount).toBeLessThanOrEqual(scaled.maxReplicaCount);
    });
  });

  it('lets the migration Jobs reach PostgreSQL and DNS only, and nothing reach them', () => {
    const policy = objects.one('NetworkPolicy', 'niryat-migrations').spec as PolicySpec;
    for (const job of objects.all('Job')) expect(Object.entries(policy.podSelector.matchLabels).every(([key, value]) => template(job).metadata?.labels?.[key] === value)).toBe(true);
    expect(policy.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(policy.ingress ?? []).toEqual([]);
    expect(describeRules(policy.egress, 'to')).toEqual([postgres, ...dns].sort());
  });

  it("lets KEDA's operator reach the brokers to read the lag", () => {
    expect(internal?.networkPolicyPeers).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } },
      podSelector: { matchLabels: { app: 'keda-operator' } },
    });
  });

  it('keeps the retired shared partner topic off: no principal may read it', () => {
    expect(objects.effectiveEnv(onlyContainer(objects.one('Deployment', 'exports'))).get('EXPORTS_LEGACY_PARTNER_TOPIC')?.value ?? 'false').toBe('false');
    expect(accessOf(servicePrincipal('exports')).reads.map((r) => r.name)).not.toContain('niryat.partner.orders.v1');
  });
});
