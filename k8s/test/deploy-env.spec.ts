import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { loadEnv, ServiceEnv, TRACING_VARIABLES, tracingConfigOf } from '@niryat/platform';
import { ENV_CLASSES } from './app-env-classes';
import { APPS, AppName, Container, KUSTOMIZATIONS, mountedSecretFile, Objects, onlyContainer, rendering, ROOT, template } from './manifests';
import type { K8sObject } from './render-kustomization';

/*
 * The environment each service is deployed with must pass the validation the service itself runs at
 * boot (loadEnv with the app's env class, and the tracing settings): docker-compose.yml's, as a new
 * user starts it with only AUTH_CREDENTIALS in the shell (or nothing), and every k8s overlay's, with
 * the ConfigMap, stand-ins for the Secret keys it references and the mounted Secret files it names.
 */

/** A credential entry as `npm run credential` prints it: `<id>:<role>:<sha256 of the token>`. */
const CREDENTIALS = `ops-1:operator:${createHash('sha256').update(randomBytes(32)).digest('hex')}`;

function expectBoots(app: AppName, env: Record<string, string | undefined>): void {
  expect(() => loadEnv(ENV_CLASSES[app], app, env)).not.toThrow();
  expect(() => tracingConfigOf(app, env)).not.toThrow();
}

/** Every variable an env class (or the tracing settings) reads: a set variable outside it is a typo. */
function knownVariables(envClass: new () => ServiceEnv): Set<string> {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(envClass, '', true, false)
    .map((metadata) => metadata.propertyName);
  return new Set([...validated, ...Object.keys(new envClass()), ...TRACING_VARIABLES]);
}

// --- docker-compose.yml --------------------------------------------------------------------------

interface ComposeService {
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
}

/** Compose's interpolation of `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`. */
function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, dollar, name, operator, argument, bare) => {
    if (dollar === '$') return '$';
    const variable = name ?? bare;
    const set = Object.prototype.hasOwnProperty.call(host, variable);
    const empty = !set || host[variable] === '';
    if (operator === ':-') return empty ? argument : host[variable];
    if (operator === '-') return set ? host[variable] : argument;
    if (operator === ':?' || operator === '?') {
      if (operator === ':?' ? empty : !set) throw new Error(`docker compose refuses ${whole}: ${argument}`);
      return host[variable];
    }
    return set ? host[variable] : ''; // compose warns and substitutes an empty string
  });
}

describe('docker-compose.yml: every service boots on the environment compose gives it', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  const environment = (service: string, host: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(compose.services[service].environment ?? {}).map(([key, value]) => [key, value === null ? undefined : interpolate(String(value), host)]),
    );

  describe.each([
    ['only AUTH_CREDENTIALS in the shell, as its header suggests', { AUTH_CREDENTIALS: CREDENTIALS }],
    ['nothing in the shell', {}],
  ])('with %s', (_what, host: Record<string, string>) => {
    it.each(APPS.map(({ name }) => name))('%s', (app) => {
      const env = environment(app, host);
      expectBoots(app, env);
      // An unset variable reaches the container as an empty string: it must count as unset (the
      // PARTNER_KEY_ENCRYPTION_KEY crash-loop of issue 16).
      if (app === 'exports') expect(env.PARTNER_KEY_ENCRYPTION_KEY).toBe('');
    });

    it("the migrate service, whose one environment runs every app's migrate.js", () => {
      for (const { name } of APPS) expectBoots(name, environment('migrate', host));
    });
  });
});

// --- the k8s overlays ----------------------------------------------------------------------------

/** Stand-ins for the Secret keys the manifests reference: what the operators' Secrets hold. */
const SECRET_VALUES: Record<string, string> = {
  'niryat-database/url': 'postgres://niryat:<password>@db.example.internal:5432/niryat',
  // CloudNativePG's <cluster>-app Secret: `uri` is postgresql://<owner>:<password>@<cluster>-rw.<namespace>:5432/<database>.
  'niryat-db-app/uri': 'postgresql://niryat:<password>@niryat-db-rw.niryat:5432/niryat',
  'niryat-auth/credentials': CREDENTIALS,
  'niryat-partner-keys/encryption-key': randomBytes(32).toString('base64'),
};

/** Stand-ins for the Secret files mounted into the pods, by key: a SCRAM password, a CA certificate. */
function secretFile(secretName: string, key: string): string {
  if (key === 'password') return `${randomBytes(24).toString('base64url')}\n`;
  if (key === 'ca.crt') return `-----BEGIN CERTIFICATE-----\n${randomBytes(48).toString('base64')}\n-----END CERTIFICATE-----\n`;
  throw new Error(`no stand-in for the file of Secret ${secretName} key ${key}: add one to k8s/test/deploy-env.spec.ts`);
}

/**
 * The environment a container starts with, for loadEnv: its ConfigMap and literal values, Secret
 * keys by their stand-ins, and paths into mounted Secrets re-rooted under `files`, where the
 * Secret's stand-in file is written (as the kubelet would project it).
 */
function podEnvironment(objects: Objects, workload: K8sObject, container: Container, files: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, entry] of objects.effectiveEnv(container)) {
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const value = SECRET_VALUES[`${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`${name}: no stand-in for Secret ${ref.name} key ${ref.key}; add it to SECRET_VALUES`);
      env[name] = value;
    } else if (entry.value !== undefined && entry.value.startsWith('/')) {
      const mounted = mountedSecretFile(workload, container, entry.value);
      if (!mounted) throw new Error(`${workload.kind} ${workload.metadata.name}: ${name}=${entry.value} is a path no Secret volume of the pod mounts`);
      const path = join(files, entry.value);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, secretFile(mounted.secretName, mounted.key));
      env[name] = path;
    } else if (entry.value !== undefined) env[name] = entry.value;
    else throw new Error(`${name}: a valueFrom the test does not know (${JSON.stringify(entry.valueFrom)})`);
  }
  return env;
}

describe.each(KUSTOMIZATIONS)('k8s/%s: every Deployment and migration Job boots on its environment', (name) => {
  const objects = new Objects(rendering(name).objects);
  let files: string;
  beforeAll(() => {
    files = mkdtempSync(join(tmpdir(), 'niryat-pod-files-'));
  });
  afterAll(() => rmSync(files, { recursive: true, force: true }));

  const workloads = [...objects.all('Deployment'), ...objects.all('Job')].map((workload) => {
    const app = template(workload).metadata?.labels?.['app.kubernetes.io/name'] as AppName;
    return [`${workload.kind} ${workload.metadata.name}`, workload, app] as const;
  });

  it.each(workloads)('%s passes its service\'s validation (loadEnv and tracing)', (_id, workload, app) => {
    const container = onlyContainer(workload);
    expectBoots(app, podEnvironment(objects, workload, container, join(files, workload.kind, workload.metadata.name)));
  });

  it.each(workloads)('%s sets only variables its service reads', (_id, workload, app) => {
    const known = knownVariables(ENV_CLASSES[app]);
    const unknown = [...objects.effectiveEnv(onlyContainer(workload)).keys()].filter((variable) => !known.has(variable));
    expect(unknown).toEqual([]);
  });
});
