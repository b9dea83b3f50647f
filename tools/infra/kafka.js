'use strict';
// A real single-node Apache Kafka broker (KRaft, no ZooKeeper, no Docker):
// jars come from Maven Central once, the JVM runs detached so it outlives
// the command that started it, and a pid file in dataDir is the handle.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Kafka, logLevel } = require('kafkajs');
const proc = require('./proc');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const POM = path.join(__dirname, 'kafka', 'pom.xml');
const LOG4J_CONFIG = path.join(__dirname, 'kafka', 'log4j2.xml');
const READY_TIMEOUT_MS = 90000;
const STOP_GRACE_MS = 20000;

// Heap sized for a 2-core / 24 GiB box shared with Postgres, four Node
// services and jest; KAFKA_HEAP_OPTS overrides it as in Kafka's own scripts,
// whose kafka-run-class.sh the G1 flags follow.
const HEAP_OPTS = (process.env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx768m').split(/\s+/).filter(Boolean);
const JVM_OPTS = [
  ...HEAP_OPTS,
  '-XX:MaxMetaspaceSize=192m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
];

// Kafka 4 needs Java 17+; JAVA_HOME wins over PATH as in Kafka's scripts.
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const noJava = () => new Error(`Java (17 or newer) not found as "${JAVA}": install a JDK/JRE or set JAVA_HOME`);

function kafkaVersion() {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM, 'utf8'));
  if (!match) throw new Error(`No <kafka.version> in ${POM}`);
  return match[1].trim();
}

function paths(dataDir) {
  const logsDir = path.join(dataDir, 'logs');
  return {
    pidFile: path.join(dataDir, 'kafka.pid'),
    propsFile: path.join(dataDir, 'server.properties'),
    logDirs: path.join(dataDir, 'data'),
    logsDir,
    serverLog: path.join(logsDir, 'server.log'),
    consoleLog: path.join(logsDir, 'console.log'),
    warmedMarker: path.join(dataDir, 'warmed-up'),
  };
}

async function ensureKafkaJars({ repoRoot = REPO_ROOT } = {}) {
  const version = kafkaVersion();
  const cacheDir = path.join(repoRoot, '.cache', 'kafka', version);
  const libsDir = path.join(cacheDir, 'libs');
  const marker = path.join(cacheDir, '.complete');
  if (fs.existsSync(marker)) return { libsDir, version };

  // Maven writes into a private dir that is renamed into place only when
  // complete, so an interrupted fetch never looks like a usable classpath.
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmpDir = path.join(cacheDir, `libs.tmp-${process.pid}`);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  process.stderr.write(`[infra] Fetching Apache Kafka ${version} jars from Maven Central into ${libsDir} (once)...\n`);
  const started = Date.now();
  let result;
  try {
    result = await proc.run(
      'mvn',
      ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`],
      { cwd: repoRoot, timeoutMs: 15 * 60000 },
    );
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error('Maven (mvn) is not on PATH; it is needed once to fetch the Kafka broker jars');
    throw err;
  }
  if (result.code !== 0 || !fs.existsSync(path.join(tmpDir, `kafka_2.13-${version}.jar`))) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`Fetching Kafka ${version} jars failed (mvn exit ${result.code}):\n${result.output.slice(-4000)}`);
  }
  if (fs.existsSync(marker)) {
    fs.rmSync(tmpDir, { recursive: true, force: true }); // another process won the race
  } else {
    fs.rmSync(libsDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, libsDir);
    fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  process.stderr.write(`[infra] Kafka ${version} jars ready (${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
  return { libsDir, version };
}

/**
 * The listeners: PLAINTEXT on loopback (unless `secure.only`), and with `secure` a SASL_SSL
 * listener (SCRAM-SHA-512, the certificate of tools/infra/tls.js) where the StandardAuthorizer
 * holds every principal to the ACLs of libs/contracts/src/kafka-access.ts. The plaintext listener
 * and the controller's are ANONYMOUS, a super user: the local broker's own tools and tests use them;
 * `secure.only` drops the plaintext client listener, and the broker then talks to itself over
 * SASL_SSL as `admin`.
 */
function listenerProperties({ port, controllerPort, secure }) {
  if (!secure) {
    return `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT`;
  }
  const client = secure.only ? [`SASL_SSL://127.0.0.1:${secure.port}`] : [`PLAINTEXT://127.0.0.1:${port}`, `SASL_SSL://127.0.0.1:${secure.port}`];
  const jaas = secure.only
    ? `org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${secure.adminPassword}";`
    : 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return `listeners=${[...client, `CONTROLLER://127.0.0.1:${controllerPort}`].join(',')}
advertised.listeners=${client.join(',')}
controller.listener.names=CONTROLLER
inter.broker.listener.name=${secure.only ? 'SASL_SSL' : 'PLAINTEXT'}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas}
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=${secure.keystore}
listener.name.sasl_ssl.ssl.truststore.type=PEM
listener.name.sasl_ssl.ssl.truststore.location=${secure.truststore}
ssl.keystore.type=PEM
ssl.keystore.location=${secure.keystore}
ssl.truststore.type=PEM
ssl.truststore.location=${secure.truststore}
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS;User:admin
allow.everyone.if.no.acl.found=false`;
}

function serverProperties({ port, controllerPort, logDirs, secure }) {
  return `# Written by tools/infra/kafka.js on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
# A static voter set rather than a KIP-853 dynamic quorum: the controller's
# address then lives only in this file, so a restart on other ports (the test
# profile picks free ports each time) needs no re-format.
controller.quorum.voters=1@127.0.0.1:${controllerPort}
${listenerProperties({ port, controllerPort, secure })}
log.dirs=${logDirs}
num.partitions=1
# One broker: every internal topic and default must fit a replication factor of 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer partitions for internal topics: faster first group join / first transaction.
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10
share.coordinator.state.topic.num.partitions=10
# Tests join consumer groups constantly; the 3 s default delay would slow every one.
group.initial.rebalance.delay.ms=0
# Topics are created explicitly by the apps, so a typo fails instead of silently creating a topic.
auto.create.topics.enable=false
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
`;
}

// Kafka's cluster ids are 16 random bytes in unpadded base64url.
/**
 * A Kafka cluster id: 16 random bytes in base64url (22 characters), like kafka-storage random-uuid.
 * Never starting with '-': the storage tool's argument parser would take it for an option (this
 * failed one test run in 64).
 */
function newClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function configuredPorts(propsFile) {
  const text = fs.readFileSync(propsFile, 'utf8');
  const port = /[=,]PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/.exec(text);
  const securePort = /SASL_SSL:\/\/127\.0\.0\.1:(\d+)/.exec(text);
  const controllerPort = /CONTROLLER:\/\/127\.0\.0\.1:(\d+)/.exec(text);
  return { port: port && Number(port[1]), securePort: securePort && Number(securePort[1]), controllerPort: controllerPort && Number(controllerPort[1]) };
}

function ownsPid(pid, propsFile) {
  const cmd = proc.cmdlineOf(pid);
  return cmd === null || cmd.includes(propsFile);
}

// Only JVMs running our broker or storage tool on this dataDir's config, so a
// `less server.properties` in another terminal is never signalled.
function ourJvms(p) {
  return proc.findPids(p.propsFile).filter((pid) => /^\S*java\b.* kafka\.(Kafka|tools\.StorageTool) /.test(proc.cmdlineOf(pid) || ''));
}

// The broker of this dataDir, from its pid file or, if that was lost (deleted
// by hand, crash during start), from the process table; the pid file is restored.
function runningPid(p) {
  const pid = proc.readPid(p.pidFile);
  if (pid && proc.isAlive(pid) && ownsPid(pid, p.propsFile)) return pid;
  const found = ourJvms(p).find((other) => (proc.cmdlineOf(other) || '').includes(' kafka.Kafka '));
  if (found) proc.writePid(p.pidFile, found);
  return found || null;
}

/** How the infra's own clients reach the broker: plaintext, or SASL_SSL as admin when that is all there is. */
function infraConnection(target) {
  return typeof target === 'string' ? { brokers: [target] } : target;
}

async function brokerAnswers(target) {
  const kafka = new Kafka({
    clientId: 'niryat-infra-probe',
    ...infraConnection(target),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.listTopics();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== -1;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// The first consumer group and the first producer id make the broker create
// __consumer_offsets / __transaction_state; until then clients get retriable
// "coordinator not available / loading" errors (logged at ERROR by kafkajs).
// Paying that once here keeps the first test or service start fast and quiet.
async function warmUp(target) {
  const kafka = new Kafka({
    clientId: 'niryat-infra-warmup',
    ...infraConnection(target),
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ transactionalId: 'niryat-infra-warmup', idempotent: true, maxInFlightRequests: 1 });
  try {
    await admin.connect();
    await admin.describeGroups(['niryat-infra-warmup']);
    await producer.connect();
    await (await producer.transaction()).abort();
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

function failure(message, p) {
  return new Error(
    `${message}\n--- ${p.serverLog} (tail) ---\n${proc.tailFile(p.serverLog)}\n` +
      `--- ${p.consoleLog} (tail) ---\n${proc.tailFile(p.consoleLog, 20)}`,
  );
}

/** The SCRAM users of this broker, each with a random password kept in <dataDir>/users/<name>.password (0600). */
function scramUsers(dataDir, names) {
  const dir = path.join(dataDir, 'users');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return names.map((name) => {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`SCRAM user name '${name}' has characters the broker's tools cannot take`);
    const passwordFile = path.join(dir, `${name}.password`);
    if (!fs.existsSync(passwordFile)) fs.writeFileSync(passwordFile, `${crypto.randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    return { name, passwordFile, password: fs.readFileSync(passwordFile, 'utf8').trim() };
  });
}

const formattedUsersFile = (dataDir) => path.join(dataDir, 'users', '.in-broker');
const scramArg = (user) => `SCRAM-SHA-512=[name=${user.name},password=${user.password}]`;

/** Formats fresh storage; SCRAM users are written into the metadata log at format time (KRaft). */
async function format({ libsDir, p, users = [], dataDir }) {
  if (fs.existsSync(path.join(p.logDirs, 'meta.properties'))) return;
  proc.removeFile(p.warmedMarker); // fresh storage has no internal topics yet
  const result = await proc.run(
    JAVA,
    ['-cp', path.join(libsDir, '*'), `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, `-Dkafka.logs.dir=${p.logsDir}`,
      'kafka.tools.StorageTool', 'format', '--cluster-id', newClusterId(), '--config', p.propsFile, '--ignore-formatted',
      ...users.flatMap((user) => ['--add-scram', scramArg(user)])],
    { timeoutMs: 60000 },
  ).catch((err) => {
    throw err.code === 'ENOENT' ? noJava() : err;
  });
  if (result.code !== 0) throw new Error(`Formatting Kafka storage in ${p.logDirs} failed:\n${result.output.replace(/password=[^\],]*/g, 'password=***')}`);
  if (users.length > 0) fs.writeFileSync(formattedUsersFile(dataDir), `${users.map((u) => u.name).join('\n')}\n`);
}

/**
 * SCRAM users declared since the storage was formatted (a new partner, say) are added to the
 * running broker with Kafka's own config tool, as admin over SASL_SSL.
 */
async function addMissingUsers({ libsDir, dataDir, users, securePort, tls }) {
  const file = formattedUsersFile(dataDir);
  const known = new Set(fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const missing = users.filter((user) => !known.has(user.name));
  if (missing.length === 0) return [];
  const admin = users.find((user) => user.name === 'admin');
  const clientConfig = path.join(dataDir, 'users', 'admin-client.properties');
  fs.writeFileSync(clientConfig, `security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin.password}";
ssl.truststore.type=PEM
ssl.truststore.location=${tls.caCert}
`, { mode: 0o600 });
  for (const user of missing) {
    const result = await proc.run(JAVA, ['-cp', path.join(libsDir, '*'), `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, 'kafka.admin.ConfigCommand',
      '--bootstrap-server', `127.0.0.1:${securePort}`, '--command-config', clientConfig,
      '--alter', '--entity-type', 'users', '--entity-name', user.name, '--add-config', `SCRAM-SHA-512=[password=${user.password}]`], { timeoutMs: 60000 });
    if (result.code !== 0) throw new Error(`adding SCRAM user ${user.name} failed:\n${result.output.replace(/password=[^\],]*/g, 'password=***')}`);
    fs.appendFileSync(file, `${user.name}\n`);
  }
  return missing.map((user) => user.name);
}

/**
 * Starts the broker of `dataDir` (or finds it running). With `secure` ({ port, users, tls, only }):
 * a SASL_SSL listener on `secure.port` with SCRAM users `secure.users` (names; passwords made here)
 * and the ACL authorizer; `secure.only` leaves no plaintext client listener.
 */
async function startKafka({ dataDir, port = 9092, controllerPort = 9093, secure, log = () => {}, repoRoot = REPO_ROOT } = {}) {
  if (!dataDir) throw new Error('startKafka: dataDir is required');
  dataDir = path.resolve(dataDir);
  const p = paths(dataDir);
  const users = secure ? scramUsers(dataDir, secure.users) : [];
  const admin = users.find((user) => user.name === 'admin');
  if (secure && !admin) throw new Error('startKafka: secure.users must include admin');
  const connectionOf = (ports) => {
    const secureInfo = ports.securePort
      ? { brokers: `127.0.0.1:${ports.securePort}`, caFile: secure?.tls.caCert, users: Object.fromEntries(users.map((u) => [u.name, u.passwordFile])) }
      : null;
    const infraTarget = ports.port
      ? `127.0.0.1:${ports.port}`
      : { brokers: [secureInfo.brokers], ssl: { ca: fs.readFileSync(secure.tls.caCert, 'utf8') }, sasl: { mechanism: 'scram-sha-512', username: 'admin', password: admin.password } };
    return { brokers: ports.port ? `127.0.0.1:${ports.port}` : null, secure: secureInfo, infraTarget };
  };

  const running = runningPid(p);
  if (running) {
    // The running broker keeps the ports it was started with, whatever was asked now.
    const actual = configuredPorts(p.propsFile);
    if (Boolean(secure) !== Boolean(actual.securePort) || (secure && Boolean(secure.only) !== !actual.port)) {
      throw new Error(`Kafka (pid ${running}) of ${dataDir} runs with other listeners than asked now (secure listener: ${actual.securePort ? 'on' : 'off'}, plaintext: ${actual.port ? 'on' : 'off'}): stop it first (npm run infra -- stop)`);
    }
    const conn = connectionOf(actual);
    // Alive but maybe still booting (another process just started it): wait for it.
    await proc.waitFor(() => brokerAnswers(conn.infraTarget), {
      timeoutMs: READY_TIMEOUT_MS,
      what: `Kafka (pid ${running}) on ${conn.brokers ?? conn.secure.brokers}`,
    });
    return { brokers: conn.brokers, secure: conn.secure, infraTarget: conn.infraTarget, pid: running, started: false, ...actual };
  }
  proc.removeFile(p.pidFile);

  const ports = { port: secure?.only ? null : port, securePort: secure ? secure.port : null, controllerPort };
  const conn = connectionOf(ports);
  const brokers = conn.brokers ?? conn.secure.brokers;
  for (const port_ of [ports.port, ports.securePort, controllerPort].filter(Boolean)) {
    if (await proc.probePort(port_)) {
      throw new Error(`Cannot start Kafka: 127.0.0.1:${port_} is already taken by a process that is not the broker of ${dataDir}`);
    }
  }

  const { libsDir, version } = await ensureKafkaJars({ repoRoot });
  fs.mkdirSync(p.logsDir, { recursive: true });
  const secureProps = secure && { port: secure.port, only: Boolean(secure.only), keystore: secure.tls.serverPem, truststore: secure.tls.caCert, adminPassword: admin.password };
  fs.writeFileSync(p.propsFile, serverProperties({ port, controllerPort, logDirs: p.logDirs, secure: secureProps }), { mode: 0o600 });
  await format({ libsDir, p, users, dataDir });

  log(`starting Kafka ${version} on ${brokers} (data ${dataDir})`);
  const out = fs.openSync(p.consoleLog, 'a');
  // detached: its own session, so Ctrl-C on `npm start` does not reach the broker.
  const child = spawn(
    JAVA,
    [...JVM_OPTS, `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, `-Dkafka.logs.dir=${p.logsDir}`,
      '-cp', path.join(libsDir, '*'), 'kafka.Kafka', p.propsFile],
    { detached: true, stdio: ['ignore', out, out], cwd: dataDir },
  );
  fs.closeSync(out);
  if (!child.pid) {
    const err = await new Promise((resolve) => child.once('error', resolve));
    throw err.code === 'ENOENT' ? noJava() : err;
  }
  child.on('error', () => {}); // nothing more can be reported once it runs
  child.unref();
  proc.writePid(p.pidFile, child.pid);

  try {
    await proc.waitFor(
      () => {
        if (!proc.isAlive(child.pid)) {
          throw Object.assign(new Error(`the broker process ${child.pid} exited`), { fatal: true });
        }
        return brokerAnswers(conn.infraTarget);
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, what: `Kafka on ${brokers}` },
    );
  } catch (err) {
    // Leave nothing half-started behind: the next start begins from a clean slate.
    await proc.stopPid(child.pid, { graceMs: 5000 });
    proc.removeFile(p.pidFile);
    throw failure(`Kafka did not become ready: ${err.message}`, p);
  }
  if (secure) {
    const added = await addMissingUsers({ libsDir, dataDir, users, securePort: secure.port, tls: secure.tls });
    if (added.length > 0) log(`kafka: SCRAM users added since the storage was formatted: ${added.join(', ')}`);
  }
  if (!fs.existsSync(p.warmedMarker)) {
    try {
      await warmUp(conn.infraTarget);
      fs.writeFileSync(p.warmedMarker, `${new Date().toISOString()}\n`);
    } catch (err) {
      log(`kafka: warm-up of internal topics failed (clients will retry): ${err.message}`); // next start tries again
    }
  }
  return { brokers: conn.brokers, secure: conn.secure, infraTarget: conn.infraTarget, pid: child.pid, started: true, ...ports };
}

async function stopKafka({ dataDir } = {}) {
  if (!dataDir) throw new Error('stopKafka: dataDir is required');
  const p = paths(path.resolve(dataDir));
  const pid = runningPid(p);
  const pids = pid ? [pid] : [];
  // Also a storage format still running from an interrupted start.
  for (const other of ourJvms(p)) if (!pids.includes(other)) pids.push(other);
  let stopped = false;
  let killed = false;
  for (const target of pids) {
    const result = await proc.stopPid(target, { graceMs: STOP_GRACE_MS });
    stopped = stopped || result.stopped;
    killed = killed || result.killed;
  }
  proc.removeFile(p.pidFile);
  return { stopped, killed, pids };
}

function kafkaStatus({ dataDir }) {
  const p = paths(path.resolve(dataDir));
  const pid = runningPid(p);
  const alive = Boolean(pid);
  const { port, securePort } = alive ? configuredPorts(p.propsFile) : {};
  return { running: alive, pid: alive ? pid : null, brokers: port ? `127.0.0.1:${port}` : null, secureBrokers: securePort ? `127.0.0.1:${securePort}` : null, ...p };
}

module.exports = { ensureKafkaJars, startKafka, stopKafka, kafkaStatus, kafkaVersion, brokerAnswers, paths };
