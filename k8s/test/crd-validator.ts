import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { K8sObject, resourceId } from './render-kustomization';

/*
 * Validates rendered objects against the operators' own Java model classes (crd-validator/: Strimzi's
 * io.strimzi:api for kafka.strimzi.io, fabric8's models for the core kinds and the prometheus-operator
 * ServiceMonitor; see ValidateManifests.java for what "strict" covers). Maven resolves the classpath
 * and javac compiles the validator once per change of crd-validator/, into the git-ignored
 * .cache/k8s-crd-validator/<hash>; later runs only start one JVM.
 */

const ROOT = join(__dirname, '..', '..');
const PROJECT = join(__dirname, 'crd-validator');
const CACHE = join(ROOT, '.cache', 'k8s-crd-validator');

/** The kinds the Java models cover, by `<group>/<kind>` (core group empty). */
export const JAVA_MODEL_KINDS = new Set([
  'kafka.strimzi.io/Kafka',
  'kafka.strimzi.io/KafkaNodePool',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'monitoring.coreos.com/ServiceMonitor',
  '/ConfigMap',
  '/Service',
  'apps/Deployment',
  'batch/Job',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/NetworkPolicy',
]);

export function groupKind(object: K8sObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${group}/${object.kind}`;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? files(join(dir, entry)) : [join(dir, entry)]));
}

function run(command: string, args: string[], what: string, timeoutMs: number): string {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`${what} needs \`${command}\` (Java 17+ and Maven, as npm start does for Kafka); it is not on the PATH`);
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${what} failed (${command} exit ${result.status}):\n${result.stderr}\n${result.stdout}`.slice(0, 8000));
  return result.stdout;
}

/** The compiled validator and its classpath, built once per content of crd-validator/. */
function prepare(): { classes: string; classpath: string } {
  const sources = files(PROJECT);
  const hash = createHash('sha256');
  for (const file of sources) hash.update(relative(PROJECT, file)).update('\0').update(readFileSync(file)).update('\0');
  const dir = join(CACHE, hash.digest('hex').slice(0, 16));
  const classpathFile = join(dir, 'classpath.txt');
  // A classpath whose jars are gone (a cleaned ~/.m2, another local repository) is resolved again.
  const stale = () => readFileSync(classpathFile, 'utf8').trim().split(':').some((jar) => !existsSync(jar));
  if (existsSync(classpathFile) && stale()) rmSync(dir, { recursive: true, force: true });
  if (!existsSync(classpathFile)) {
    // Built beside, then renamed into place: a run that dies half-way never leaves a broken cache.
    const building = `${dir}.${process.pid}.tmp`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(join(building, 'classes'), { recursive: true });
    run(
      'mvn',
      ['-q', '-B', '-f', join(PROJECT, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${join(building, 'classpath.txt')}`],
      'resolving the model classes (k8s/test/crd-validator/pom.xml)',
      300_000,
    );
    const javaSources = sources.filter((file) => file.endsWith('.java'));
    const classpath = readFileSync(join(building, 'classpath.txt'), 'utf8').trim();
    run('javac', ['-nowarn', '-encoding', 'UTF-8', '-d', join(building, 'classes'), '-cp', classpath, ...javaSources], 'compiling k8s/test/crd-validator', 120_000);
    try {
      renameSync(building, dir);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(classpathFile)) throw error; // else another run got there first
    }
  }
  return { classes: join(dir, 'classes'), classpath: readFileSync(classpathFile, 'utf8').trim() };
}

/** Problems per id, for every object of a kind in JAVA_MODEL_KINDS (ids default to resourceId). */
export function validateWithJavaModels(objects: readonly K8sObject[], idOf: (object: K8sObject) => string = resourceId): Map<string, string[]> {
  const covered = objects.filter((object) => JAVA_MODEL_KINDS.has(groupKind(object)));
  if (covered.length === 0) return new Map();
  const { classes, classpath } = prepare();
  const input = JSON.stringify(covered.map((object) => ({ id: idOf(object), object })));
  // A short-lived JVM: the C1 compiler and the serial collector start it about twice as fast.
  const jvm = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];
  const result = spawnSync('java', [...jvm, '-cp', `${classes}:${classpath}`, 'niryat.k8s.ValidateManifests'], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`k8s/test/crd-validator failed (exit ${result.status}):\n${result.stderr}`);
  return new Map(Object.entries(JSON.parse(result.stdout) as Record<string, string[]>));
}
