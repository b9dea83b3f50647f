import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { K8sObject } from './render-kustomization';

/*
 * Focused structural checks of the KEDA and CloudNativePG objects, for want of a model package of
 * theirs that can be had offline here (none on Maven Central; on npm, @kubernetes-models/keda 2.x
 * needs Node 22, and no package models CloudNativePG). Each lists the fields of the upstream CRD
 * (keda.sh/v1alpha1 of KEDA 2.18, postgresql.cnpg.io/v1 of CloudNativePG 1.28) that these
 * manifests may use, with their types: an unknown or mistyped field fails, as the API server's
 * structural schema would refuse it. Nested Kubernetes types (HPA behaviour, resources) are
 * validated with kubernetes-models.
 */

type Shape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'quantity'
  | { enum: readonly string[] }
  | { object: Record<string, Shape>; required?: readonly string[] }
  | { map: Shape }
  | { list: Shape }
  | { custom: (value: unknown, path: string) => string[] };

const string: Shape = 'string';
const integer: Shape = 'integer';
const boolean: Shape = 'boolean';

function check(value: unknown, shape: Shape, path: string): string[] {
  if (shape === 'string') return typeof value === 'string' ? [] : [`${path}: must be a string`];
  if (shape === 'integer') return Number.isInteger(value) ? [] : [`${path}: must be an integer`];
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: must be a boolean`];
  if (shape === 'quantity') return typeof value === 'string' && /^[+-]?\d+(\.\d+)?([KMGTPE]i?|[munkMGTPE]|e\d+)?$/.test(value) ? [] : [`${path}: must be a quantity`];
  if ('enum' in shape) return shape.enum.includes(value as string) ? [] : [`${path}: must be one of ${shape.enum.join(', ')}`];
  if ('custom' in shape) return shape.custom(value, path);
  if ('list' in shape) return Array.isArray(value) ? value.flatMap((item, i) => check(item, shape.list, `${path}[${i}]`)) : [`${path}: must be a list`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: must be an object`];
  const entries = Object.entries(value as Record<string, unknown>);
  if ('map' in shape) return entries.flatMap(([key, item]) => check(item, shape.map, `${path}.${key}`));
  const problems = entries.flatMap(([key, item]) => (key in shape.object ? check(item, shape.object[key], `${path}.${key}`) : [`${path}.${key}: unknown field`]));
  for (const key of shape.required ?? []) if (!(key in (value as Record<string, unknown>))) problems.push(`${path}.${key}: required`);
  return problems;
}

const metadata: Shape = {
  object: { name: string, namespace: string, labels: { map: string }, annotations: { map: string } },
  required: ['name'],
};

/** kubernetes-models' own validation of an embedded Kubernetes type. */
function kubernetesType(validate: (value: unknown) => void): Shape {
  return {
    custom: (value, path) => {
      try {
        validate(value);
        return [];
      } catch (error) {
        return [`${path}: ${(error as Error).message}`];
      }
    },
  };
}

const hpaBehavior = kubernetesType((behavior) =>
  new HorizontalPodAutoscaler({
    metadata: { name: 'behavior' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'x', apiVersion: 'apps/v1' }, maxReplicas: 1, behavior: behavior as never },
  }).validate(),
);
const resources = kubernetesType((value) => new ResourceRequirements(value as never).validate());

/** The Kafka scaler's metadata keys (KEDA docs, "Apache Kafka" scaler); every value a string. */
const KAFKA_TRIGGER_METADATA = [
  'bootstrapServers',
  'consumerGroup',
  'topic',
  'lagThreshold',
  'activationLagThreshold',
  'offsetResetPolicy',
  'allowIdleConsumers',
  'excludePersistentLag',
  'scaleToZeroOnInvalidOffset',
  'limitToPartitionsWithLag',
  'partitionLimitation',
  'ensureEvenDistributionOfPartitions',
  'sasl',
  'tls',
  'version',
];
const CPU_TRIGGER_METADATA = ['value', 'containerName'];

const trigger: Shape = {
  custom: (value, path) => {
    const problems = check(
      value,
      {
        object: {
          type: string,
          name: string,
          metadata: { map: string },
          authenticationRef: { object: { name: string, kind: { enum: ['TriggerAuthentication', 'ClusterTriggerAuthentication'] } }, required: ['name'] },
          metricType: { enum: ['AverageValue', 'Value', 'Utilization'] },
          useCachedMetrics: boolean,
        },
        required: ['type', 'metadata'],
      },
      path,
    );
    const { type, metadata: data } = value as { type?: string; metadata?: Record<string, unknown> };
    const allowed = type === 'kafka' ? KAFKA_TRIGGER_METADATA : type === 'cpu' ? CPU_TRIGGER_METADATA : undefined;
    if (!allowed) return [...problems, `${path}.type: ${type} is not a scaler these manifests use (kafka, cpu)`];
    for (const key of Object.keys(data ?? {})) if (!allowed.includes(key)) problems.push(`${path}.metadata.${key}: not a ${type} scaler setting`);
    return problems;
  },
};

const SHAPES: Record<string, Shape> = {
  'keda.sh/v1alpha1/ScaledObject': {
    object: {
      apiVersion: string,
      kind: string,
      metadata,
      spec: {
        object: {
          scaleTargetRef: { object: { name: string, kind: string, apiVersion: string, envSourceContainerName: string }, required: ['name'] },
          pollingInterval: integer,
          initialCooldownPeriod: integer,
          cooldownPeriod: integer,
          idleReplicaCount: integer,
          minReplicaCount: integer,
          maxReplicaCount: integer,
          fallback: { object: { failureThreshold: integer, replicas: integer }, required: ['failureThreshold', 'replicas'] },
          advanced: {
            object: {
              restoreToOriginalReplicaCount: boolean,
              horizontalPodAutoscalerConfig: { object: { name: string, behavior: hpaBehavior } },
            },
          },
          triggers: { list: trigger },
        },
        required: ['scaleTargetRef', 'triggers'],
      },
    },
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
  },
  'keda.sh/v1alpha1/TriggerAuthentication': {
    object: {
      apiVersion: string,
      kind: string,
      metadata,
      spec: {
        object: {
          secretTargetRef: { list: { object: { parameter: string, name: string, key: string }, required: ['parameter', 'name', 'key'] } },
          configMapTargetRef: { list: { object: { parameter: string, name: string, key: string }, required: ['parameter', 'name', 'key'] } },
          env: { list: { object: { parameter: string, name: string, containerName: string }, required: ['parameter', 'name'] } },
        },
      },
    },
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
  },
  'postgresql.cnpg.io/v1/Cluster': {
    object: {
      apiVersion: string,
      kind: string,
      metadata,
      spec: {
        object: {
          instances: integer,
          imageName: string,
          description: string,
          bootstrap: { object: { initdb: { object: { database: string, owner: string, secret: { object: { name: string }, required: ['name'] } } } } },
          postgresql: { object: { parameters: { map: string }, pg_hba: { list: string } } },
          storage: { object: { size: 'quantity', storageClass: string, resizeInUseVolumes: boolean } },
          resources,
          affinity: { object: { enablePodAntiAffinity: boolean, topologyKey: string, podAntiAffinityType: { enum: ['preferred', 'required'] } } },
          enableSuperuserAccess: boolean,
        },
        required: ['instances'],
      },
    },
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
  },
};

/** The kinds checked here, by `<apiVersion>/<kind>`. */
export const SHAPE_KINDS = new Set(Object.keys(SHAPES));

/** What does not fit the CRD's structure, for an object of a kind in SHAPE_KINDS. */
export function shapeProblems(object: K8sObject): string[] {
  const shape = SHAPES[`${object.apiVersion}/${object.kind}`];
  if (!shape) return [`no structural check for ${object.apiVersion} ${object.kind}`];
  const problems = check(object, shape, '');
  const spec = object.spec as { minReplicaCount?: number; maxReplicaCount?: number } | undefined;
  if (object.kind === 'ScaledObject' && spec && (spec.minReplicaCount ?? 0) > (spec.maxReplicaCount ?? 100)) problems.push('.spec: minReplicaCount above maxReplicaCount');
  return problems;
}
