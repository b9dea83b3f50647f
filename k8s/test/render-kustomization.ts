import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** One rendered Kubernetes object, as plain data. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/**
 * Renders a kustomization with the real kustomize built into kubectl (`kubectl kustomize`, which
 * needs no cluster and no network). Returns null when there is no kubectl; throws when kustomize
 * rejects the kustomization. `KUBECTL` names another kubectl binary.
 */
export function renderWithKubectl(dir: string): K8sObject[] | null {
  const kubectl = process.env.KUBECTL || 'kubectl';
  const result = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${kubectl} kustomize ${dir} failed (exit ${result.status}):\n${result.stderr}`);
  return parseObjects(result.stdout, `${kubectl} kustomize ${dir}`);
}

/*
 * A deliberately small kustomize, for machines without kubectl. It implements only what k8s/ uses and
 * refuses everything else with an error, so nobody comes to rely on a feature it would silently get
 * wrong. Where kubectl exists the tests check that both render exactly the same objects.
 */

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'images', 'patches']);

/**
 * The kinds it can transform correctly: all namespaced, and for each it knows where the pod
 * template is (labels with includeTemplates, images). Anything else (cluster-scoped kinds,
 * RoleBindings whose subjects kustomize re-namespaces, CronJobs, ...) is refused.
 */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
const PLAIN_KINDS = new Set([
  'ConfigMap',
  'Service',
  'ServiceAccount',
  'PodDisruptionBudget',
  'NetworkPolicy',
  // Custom resources: namespaced, no pod template kustomize knows of, no image field it rewrites.
  'Kafka',
  'KafkaNodePool',
  'KafkaTopic',
  'KafkaUser',
  'ScaledObject',
  'TriggerAuthentication',
  'ServiceMonitor',
  'Cluster',
]);

interface LabelsEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Which resources a patch applies to; every field given must match (kind and name as anchored regexes). */
interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  labelSelector?: string;
}

interface PatchEntry {
  target?: PatchTarget;
  patch?: string;
  path?: string;
}

/** One JSON 6902 operation; only those kustomize's patches are used with here. */
interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: LabelsEntry[];
  images?: ImageEntry[];
  patches?: PatchEntry[];
}

/** Renders `dir` (a directory holding a kustomization) the way `kustomize build` would. */
export function renderKustomization(dir: string): K8sObject[] {
  const file = kustomizationFile(dir);
  const kustomization = readKustomization(file);
  const where = relative(process.cwd(), file) || file;

  let objects: K8sObject[] = [];
  for (const entry of kustomization.resources ?? []) {
    if (typeof entry !== 'string') throw new Error(`${where}: resources entries must be paths`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('github.com/')) {
      throw new Error(`${where}: remote resource "${entry}" is not supported by the in-repo renderer`);
    }
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${where}: resource "${entry}" does not exist`);
    const loaded = statSync(path).isDirectory() ? renderKustomization(path) : parseObjects(readFileSync(path, 'utf8'), path);
    for (const object of loaded) {
      const id = resourceId(object);
      if (objects.some((other) => resourceId(other) === id)) {
        throw new Error(`${where}: resource ${id} (from "${entry}") is already registered; kustomize refuses duplicates`);
      }
      objects.push(object);
    }
  }

  for (const object of objects) {
    if (!POD_TEMPLATE_KINDS.has(object.kind) && !PLAIN_KINDS.has(object.kind)) {
      throw new Error(`${where}: kind ${object.kind} (${object.metadata.name}) is not supported by the in-repo renderer`);
    }
  }

  // The transformers in kustomize's order: patches, namespace, labels, images.
  for (const entry of kustomization.patches ?? []) objects = applyPatch(objects, entry, dir, where);
  for (const entry of kustomization.labels ?? []) objects = objects.map((object) => addLabels(object, entry));
  if (kustomization.namespace !== undefined) {
    const namespace = kustomization.namespace;
    objects = objects.map((object) => ({ ...object, metadata: { ...object.metadata, namespace } }));
  }
  for (const image of kustomization.images ?? []) objects = objects.map((object) => setImage(object, image));
  return objects;
}

/** group/kind/namespace/name: how kustomize tells resources apart. */
export function resourceId(object: K8sObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${group}/${object.kind}/${object.metadata.namespace ?? '~'}/${object.metadata.name}`;
}

/** Parses a multi-document YAML stream into objects; empty documents are skipped, malformed ones throw. */
export function parseObjects(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0].message}`);
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new Error(`${source}: every document must be an object with apiVersion and kind`);
    }
    if (value.kind === 'List' || value.kind.endsWith('List')) throw new Error(`${source}: ${value.kind} documents are not supported`);
    const metadata = value.metadata;
    if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
      throw new Error(`${source}: a ${value.kind} has no metadata.name`);
    }
    objects.push(value as unknown as K8sObject);
  }
  return objects;
}

function kustomizationFile(dir: string): string {
  const found = KUSTOMIZATION_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
  if (found.length === 0) throw new Error(`${dir}: no kustomization.yaml`);
  if (found.length > 1) throw new Error(`${dir}: more than one kustomization file (${found.join(', ')})`);
  return found[0];
}

function readKustomization(file: string): Kustomization {
  const value = parse(readFileSync(file, 'utf8')) as unknown;
  if (!isRecord(value)) throw new Error(`${file}: not a kustomization`);
  for (const key of Object.keys(value)) {
    if (!SUPPORTED_FIELDS.has(key)) {
      throw new Error(
        `${file}: kustomization field "${key}" is not supported by the in-repo renderer (k8s/test/render-kustomization.ts); ` +
          `it implements only ${[...SUPPORTED_FIELDS].join(', ')}: extend it, with a test, before using "${key}"`,
      );
    }
  }
  if (value.apiVersion !== undefined && value.apiVersion !== 'kustomize.config.k8s.io/v1beta1') {
    throw new Error(`${file}: unsupported apiVersion ${String(value.apiVersion)}`);
  }
  if (value.kind !== undefined && value.kind !== 'Kustomization') throw new Error(`${file}: kind ${String(value.kind)} is not supported`);
  if (value.namespace !== undefined && typeof value.namespace !== 'string') throw new Error(`${file}: namespace must be a string`);
  if (value.resources !== undefined && !Array.isArray(value.resources)) throw new Error(`${file}: resources must be a list`);
  for (const entry of asList(value.labels, file, 'labels')) checkKeys(entry, ['pairs', 'includeSelectors', 'includeTemplates'], file, 'labels');
  for (const entry of asList(value.labels, file, 'labels')) {
    if (!isRecord(entry.pairs)) throw new Error(`${file}: labels entries need pairs`);
    if (entry.includeSelectors === true) {
      throw new Error(`${file}: labels with includeSelectors: true (which also rewrites selectors) are not supported`);
    }
  }
  for (const entry of asList(value.images, file, 'images')) {
    checkKeys(entry, ['name', 'newName', 'newTag', 'digest'], file, 'images');
    if (typeof entry.name !== 'string') throw new Error(`${file}: images entries need a name`);
  }
  for (const entry of asList(value.patches, file, 'patches')) {
    checkKeys(entry, ['target', 'patch', 'path'], file, 'patches');
    if ((entry.patch === undefined) === (entry.path === undefined)) throw new Error(`${file}: a patches entry needs either patch or path`);
    if (!isRecord(entry.target)) throw new Error(`${file}: a patches entry needs a target (the in-repo renderer takes JSON 6902 patches only)`);
    checkKeys(entry.target, ['group', 'version', 'kind', 'name', 'labelSelector'], file, 'patches[].target');
  }
  return value as Kustomization;
}

function asList(value: unknown, file: string, field: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new Error(`${file}: ${field} must be a list of objects`);
  return value;
}

function checkKeys(entry: Record<string, unknown>, allowed: string[], file: string, field: string): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) throw new Error(`${file}: ${field}[].${key} is not supported by the in-repo renderer`);
  }
}

/** kustomize's `patches` with a target and a JSON 6902 operation list (inline or from a file). */
function applyPatch(objects: K8sObject[], entry: PatchEntry, dir: string, where: string): K8sObject[] {
  const source = entry.path !== undefined ? readFileSync(resolve(dir, entry.path), 'utf8') : (entry.patch ?? '');
  const operations = parse(source) as unknown;
  if (!Array.isArray(operations)) {
    throw new Error(`${where}: patch ${entry.path ?? JSON.stringify(source.slice(0, 60))} is not a JSON 6902 operation list; strategic merge patches are not supported by the in-repo renderer`);
  }
  for (const operation of operations) {
    if (!isRecord(operation) || typeof operation.path !== 'string' || !['add', 'remove', 'replace', 'test'].includes(String(operation.op))) {
      throw new Error(`${where}: patch operation ${JSON.stringify(operation)} is not supported (add, remove, replace, test)`);
    }
  }
  const target = entry.target ?? {};
  let matched = 0;
  const patched = objects.map((object) => {
    if (!targets(target, object, where)) return object;
    matched += 1;
    const copy = structuredClone(object);
    for (const operation of operations as PatchOperation[]) applyOperation(copy, operation, `${where}: ${object.kind}/${object.metadata.name}`);
    return copy;
  });
  if (matched === 0) throw new Error(`${where}: patch target ${JSON.stringify(target)} matches no resource`);
  return patched;
}

function targets(target: PatchTarget, object: K8sObject, where: string): boolean {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const fullMatch = (pattern: string | undefined, value: string) => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  if (!fullMatch(target.group, group) || !fullMatch(target.version, version)) return false;
  if (!fullMatch(target.kind, object.kind) || !fullMatch(target.name, object.metadata.name)) return false;
  for (const requirement of (target.labelSelector ?? '').split(',').filter((part) => part.trim() !== '')) {
    const match = /^\s*([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)\s*$/.exec(requirement);
    if (!match) throw new Error(`${where}: labelSelector requirement "${requirement}" is not supported (key=value, key!=value)`);
    const actual = object.metadata.labels?.[match[1]];
    if ((match[2] === '!=') === (actual === match[3])) return false;
  }
  return true;
}

/** RFC 6902 on one object; an operation that cannot apply throws, as kustomize fails the build. */
function applyOperation(root: K8sObject, operation: PatchOperation, where: string): void {
  const tokens = operation.path.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!operation.path.startsWith('/') || tokens.length === 0) throw new Error(`${where}: patch path "${operation.path}" must point inside the object`);
  const last = tokens[tokens.length - 1];
  let parent: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(token)] : isRecord(parent) ? parent[token] : undefined;
    if (parent === undefined) throw new Error(`${where}: patch path "${operation.path}" does not exist`);
  }
  const fail = (why: string) => new Error(`${where}: ${operation.op} ${operation.path}: ${why}`);
  if (Array.isArray(parent)) {
    const index = last === '-' && operation.op === 'add' ? parent.length : Number(last);
    const bound = operation.op === 'add' ? parent.length : parent.length - 1;
    if (!/^\d+$/.test(last) && last !== '-') throw fail('not an array index');
    if (index > bound) throw fail('index out of range');
    if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
    else if (operation.op === 'remove') parent.splice(index, 1);
    else if (operation.op === 'replace') parent[index] = structuredClone(operation.value);
    else if (!sameJson(parent[index], operation.value)) throw fail(`test failed: ${JSON.stringify(parent[index])}`);
    return;
  }
  if (!isRecord(parent)) throw fail('parent is not an object or array');
  const exists = Object.prototype.hasOwnProperty.call(parent, last);
  if (operation.op !== 'add' && !exists) throw fail('no such member');
  if (operation.op === 'add' || operation.op === 'replace') parent[last] = structuredClone(operation.value);
  else if (operation.op === 'remove') delete parent[last];
  else if (!sameJson(parent[last], operation.value)) throw fail(`test failed: ${JSON.stringify(parent[last])}`);
}

function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical) : isRecord(value) ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])])) : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** kustomize's `labels`: metadata.labels always; with includeTemplates also the pod template's labels. */
function addLabels(object: K8sObject, entry: LabelsEntry): K8sObject {
  const pairs = Object.fromEntries(Object.entries(entry.pairs).map(([key, value]) => [key, String(value)]));
  const copy = structuredClone(object);
  copy.metadata.labels = { ...(copy.metadata.labels ?? {}), ...pairs };
  if (entry.includeTemplates && POD_TEMPLATE_KINDS.has(copy.kind)) {
    const template = podTemplate(copy);
    template.metadata = { ...(template.metadata ?? {}) };
    template.metadata.labels = { ...(template.metadata.labels ?? {}), ...pairs };
  }
  return copy;
}

/** kustomize's `images`: replaces name, tag and/or digest of every container whose image name matches. */
function setImage(object: K8sObject, image: ImageEntry): K8sObject {
  if (!POD_TEMPLATE_KINDS.has(object.kind)) return object;
  const copy = structuredClone(object);
  const spec = podTemplate(copy).spec ?? {};
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if (typeof container.image !== 'string') continue;
    const current = splitImage(container.image);
    if (current.name !== image.name) continue;
    const name = image.newName ?? current.name;
    if (image.digest !== undefined) container.image = `${name}@${image.digest}`;
    else if (image.newTag !== undefined) container.image = `${name}:${image.newTag}`;
    else container.image = `${name}${current.suffix}`;
  }
  return copy;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { image?: unknown }[]; initContainers?: { image?: unknown }[] };
}

function podTemplate(object: K8sObject): PodTemplate {
  const spec = object.spec;
  if (!isRecord(spec) || !isRecord(spec.template)) throw new Error(`${object.kind} ${object.metadata.name} has no spec.template`);
  return spec.template as PodTemplate;
}

/** `registry:5000/repo/name:tag@sha256:...` -> name `registry:5000/repo/name`, suffix `:tag@sha256:...`. */
function splitImage(image: string): { name: string; suffix: string } {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  const end = colon > withoutDigest.lastIndexOf('/') ? colon : withoutDigest.length;
  return { name: image.slice(0, end), suffix: image.slice(end) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
