import { Model } from '@kubernetes-models/base';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { groupKind, JAVA_MODEL_KINDS, validateWithJavaModels } from './crd-validator';
import { KUSTOMIZATIONS, KustomizationName, rendering } from './manifests';
import { K8sObject, resourceId } from './render-kustomization';
import { SHAPE_KINDS, shapeProblems } from './shapes';

/*
 * Every rendered object of the base and both overlays, validated offline against its schema:
 *  - core kinds with kubernetes-models (required fields, types, formats) and with fabric8's Java
 *    models, strictly (an unknown field fails, which kubernetes-models lets through);
 *  - Strimzi's Kafka, KafkaNodePool, KafkaTopic and KafkaUser with io.strimzi:api's model classes,
 *    strictly, and with the v1 rules the classes' crd-generator annotations carry;
 *  - the prometheus-operator ServiceMonitor with fabric8's openshift-model-monitoring, strictly;
 *  - KEDA's ScaledObject and TriggerAuthentication and CloudNativePG's Cluster with a focused
 *    structural check (k8s/test/shapes.ts), for want of a model package of theirs to be had offline.
 * One JVM validates everything at once (k8s/test/crd-validator.ts caches its build in .cache/).
 */

type ModelClass = new (data: never) => Model<unknown>;
const KUBERNETES_MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const idOf = (name: string, object: K8sObject) => `${name} ${resourceId(object)}`;

/** Deliberately broken objects: each validator must refuse its own, or the checks above prove nothing. */
function brokenSamples(objects: K8sObject[]): { sample: K8sObject; why: string }[] {
  const copy = (kind: string, name: string, change: (spec: Record<string, unknown>) => void): K8sObject => {
    const found = structuredClone(objects.find((object) => object.kind === kind));
    if (!found) throw new Error(`no ${kind} to break`);
    found.metadata.name = name;
    change(found.spec as Record<string, unknown>);
    return found;
  };
  return [
    {
      why: 'a v1beta2-only field in a v1 KafkaUser ACL',
      sample: copy('KafkaUser', 'broken-operation', (spec) => Object.assign((spec.authorization as { acls: object[] }).acls[0], { operation: 'Read' })),
    },
    { why: 'a v1beta2-only field in a v1 Kafka', sample: copy('Kafka', 'broken-replicas', (spec) => Object.assign(spec.kafka as object, { replicas: 3 })) },
    { why: 'a KafkaTopic without a partition', sample: copy('KafkaTopic', 'broken-partitions', (spec) => Object.assign(spec, { partitions: 0 })) },
    { why: 'a listener port as a string', sample: copy('Kafka', 'broken-port', (spec) => Object.assign((spec.kafka as { listeners: object[] }).listeners[0], { port: '9093' })) },
    {
      why: 'a misspelt probe in a Deployment',
      sample: copy('Deployment', 'broken-probe', (spec) => Object.assign((spec.template as { spec: { containers: object[] } }).spec.containers[0], { readinesProbe: {} })),
    },
    { why: 'an unknown ServiceMonitor field', sample: copy('ServiceMonitor', 'broken-monitor', (spec) => Object.assign(spec, { endpoint: [] })) },
  ];
}

describe('every rendered object against its schema', () => {
  const all = KUSTOMIZATIONS.flatMap((name) => rendering(name).objects.map((object) => ({ name, object })));
  const broken = brokenSamples(rendering('overlays/prod').objects);
  let java: Map<string, string[]>;

  beforeAll(() => {
    java = validateWithJavaModels([...all.map(({ object }) => object), ...broken.map(({ sample }) => sample)], (object) => {
      const entry = all.find((candidate) => candidate.object === object);
      return entry ? idOf(entry.name, object) : `broken ${resourceId(object)}`;
    });
  }, 600_000); // a cold cache resolves the model classes from Maven Central first

  it('covers every kind the manifests hold with a validator', () => {
    const uncovered = all
      .map(({ object }) => object)
      .filter((object) => !JAVA_MODEL_KINDS.has(groupKind(object)) && !SHAPE_KINDS.has(`${object.apiVersion}/${object.kind}`))
      .map((object) => `${object.apiVersion} ${object.kind}`);
    expect([...new Set(uncovered)]).toEqual([]);
  });

  describe.each(KUSTOMIZATIONS)('k8s/%s', (name: KustomizationName) => {
    const objects = rendering(name).objects;
    const core = objects.filter((object) => KUBERNETES_MODELS[`${object.apiVersion}/${object.kind}`]);
    const javaModelled = objects.filter((object) => JAVA_MODEL_KINDS.has(groupKind(object)));
    const shaped = objects.filter((object) => SHAPE_KINDS.has(`${object.apiVersion}/${object.kind}`));

    it.each(core.map((object) => [resourceId(object), object] as const))('%s fits kubernetes-models', (_id, object) => {
      const ModelType = KUBERNETES_MODELS[`${object.apiVersion}/${object.kind}`];
      expect(() => new ModelType(object as never).validate()).not.toThrow();
    });

    it.each(javaModelled.map((object) => [resourceId(object), object] as const))('%s parses strictly into its Java model', (_id, object) => {
      expect(java.get(idOf(name, object))).toEqual([]);
    });

    it.each(shaped.map((object) => [resourceId(object), object] as const))('%s fits the structure of its CRD', (_id, object) => {
      expect(shapeProblems(object)).toEqual([]);
    });
  });

  it.each(brokenSamples(rendering('overlays/prod').objects).map(({ why, sample }) => [why, resourceId(sample)] as const))(
    'refuses %s',
    (_why, id) => {
      expect(java.get(`broken ${id}`)?.length ?? 0).toBeGreaterThan(0);
    },
  );

  it.each([
    ['a misspelt ScaledObject field', 'ScaledObject', (spec: Record<string, unknown>) => Object.assign(spec, { maxReplicas: 3 })],
    ['a Kafka trigger setting KEDA does not know', 'ScaledObject', (spec: Record<string, unknown>) => Object.assign((spec.triggers as { metadata: object }[])[0].metadata, { lag: '5' })],
    ['a number where the CRD wants a string', 'TriggerAuthentication', (spec: Record<string, unknown>) => Object.assign((spec.secretTargetRef as object[])[0], { key: 1 })],
    ['a misspelt Cluster field', 'Cluster', (spec: Record<string, unknown>) => Object.assign(spec, { instance: 3 })],
  ] as const)('refuses %s (structural check)', (_why, kind, change) => {
    const sample = structuredClone(rendering('overlays/prod').objects.find((object) => object.kind === kind && (kind !== 'ScaledObject' || object.metadata.name === 'exports')));
    if (!sample) throw new Error(`no ${kind}`);
    change(sample.spec as Record<string, unknown>);
    expect(shapeProblems(sample).length).toBeGreaterThan(0);
  });
});
