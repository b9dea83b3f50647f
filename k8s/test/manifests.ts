import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8sObject, renderKustomization, renderWithKubectl } from './render-kustomization';

/*
 * What the k8s tests share: the renderings of the base and each overlay, and small typed views of
 * the rendered objects.
 */

export const ROOT = join(__dirname, '..', '..');
export const K8S = join(ROOT, 'k8s');

export const APPS = [
  { name: 'onboarding', port: 3001 },
  { name: 'exports', port: 3002 },
  { name: 'training', port: 3003 },
  { name: 'reporting', port: 3004 },
] as const;
export type AppName = (typeof APPS)[number]['name'];

export const NAMESPACE = 'niryat';
export const CONFIG_MAP = 'niryat-config';
export const KAFKA_CA_SECRET = { name: 'niryat-kafka-cluster-ca-cert', key: 'ca.crt' };

/** The base and the two overlays an operator deploys. */
export const KUSTOMIZATIONS = ['base', 'overlays/dev', 'overlays/prod'] as const;
export const OVERLAYS = ['overlays/dev', 'overlays/prod'] as const;
export type KustomizationName = (typeof KUSTOMIZATIONS)[number];

export interface Rendering {
  name: KustomizationName;
  /** What the tests check: kubectl's rendering where there is a kubectl, else the in-repo renderer's. */
  objects: K8sObject[];
  byKubectl: K8sObject[] | null;
  inRepo: { objects?: K8sObject[]; error?: unknown };
  renderer: string;
}

const renderings = new Map<KustomizationName, Rendering>();

/** Renders k8s/<name> once per test file: with kubectl kustomize and with the in-repo renderer. */
export function rendering(name: KustomizationName): Rendering {
  const cached = renderings.get(name);
  if (cached) return cached;
  const dir = join(K8S, name);
  const byKubectl = renderWithKubectl(dir);
  let inRepo: Rendering['inRepo'];
  try {
    inRepo = { objects: renderKustomization(dir) };
  } catch (error) {
    if (!byKubectl) throw error; // no renderer at all: nothing can be checked
    inRepo = { error }; // reported by the parity test; kubectl's rendering is still checked
  }
  const result: Rendering = {
    name,
    objects: byKubectl ?? inRepo.objects ?? [],
    byKubectl,
    inRepo,
    renderer: byKubectl ? 'kubectl kustomize' : 'the in-repo renderer (no kubectl here)',
  };
  renderings.set(name, result);
  return result;
}

// --- typed views ---------------------------------------------------------------------------------

export interface Probe {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[]; optional?: boolean };
  emptyDir?: Record<string, unknown>;
}

export interface Container {
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
  volumeMounts?: VolumeMount[];
  lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: { command: string[] } } };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
  securityContext?: SecurityContext;
  terminationGracePeriodSeconds?: number;
  volumes?: Volume[];
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: PodSpec;
}

export class Objects {
  constructor(readonly list: readonly K8sObject[]) {}

  all(kind: string): K8sObject[] {
    return this.list.filter((object) => object.kind === kind);
  }

  one(kind: string, name: string): K8sObject {
    const found = this.list.filter((object) => object.kind === kind && object.metadata.name === name);
    if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}, found ${found.length}`);
    return found[0];
  }

  configMapData(name: string): Record<string, string> {
    return (this.one('ConfigMap', name).data ?? {}) as Record<string, string>;
  }

  /** The environment a container ends up with: its envFrom ConfigMaps, then its own env entries. */
  effectiveEnv(container: Container): Map<string, EnvVar> {
    const env = new Map<string, EnvVar>();
    for (const source of container.envFrom ?? []) {
      if (source.secretRef) throw new Error(`${container.name}: envFrom a Secret hides which variables it sets; use secretKeyRef`);
      if (source.configMapRef) {
        for (const [name, value] of Object.entries(this.configMapData(source.configMapRef.name))) env.set(name, { name, value });
      }
    }
    for (const entry of container.env ?? []) env.set(entry.name, entry);
    return env;
  }
}

export function template(workload: K8sObject): PodTemplate {
  return (workload.spec as { template: PodTemplate }).template;
}

export function onlyContainer(workload: K8sObject): Container {
  const { containers } = template(workload).spec;
  if (containers.length !== 1) throw new Error(`${workload.kind} ${workload.metadata.name} has ${containers.length} containers, not one`);
  return containers[0];
}

/** A probe's or Service's port (a number or a container port name) as the number it means. */
export function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

export function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/**
 * The file a path in a container's environment names, as the pod would have it: the Secret key
 * projected there by a volume mount, or undefined when no mounted Secret holds that path.
 */
export function mountedSecretFile(workload: K8sObject, container: Container, path: string): { secretName: string; key: string } | undefined {
  for (const mount of container.volumeMounts ?? []) {
    const prefix = mount.mountPath.endsWith('/') ? mount.mountPath : `${mount.mountPath}/`;
    if (!path.startsWith(prefix)) continue;
    const volume = template(workload).spec.volumes?.find((candidate) => candidate.name === mount.name);
    if (!volume?.secret) return undefined;
    const file = path.slice(prefix.length);
    const item = volume.secret.items ? volume.secret.items.find((candidate) => candidate.path === file) : { key: file, path: file };
    return item ? { secretName: volume.secret.secretName, key: item.key } : undefined;
  }
  return undefined;
}

/** The default PORT an app's env class declares, e.g. `override PORT = 3001;`. */
export function declaredDefaultPort(app: string): number {
  const source = readFileSync(join(ROOT, 'apps', app, 'src', `${app}.env.ts`), 'utf8');
  const match = /override\s+PORT\s*=\s*(\d+)/.exec(source);
  if (!match) throw new Error(`apps/${app}/src/${app}.env.ts declares no default PORT`);
  return Number(match[1]);
}

export function fileExists(...path: string[]): boolean {
  return existsSync(join(ROOT, ...path));
}
