import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Producer } from 'kafkajs';

/** Where the platform is and who the simulator speaks as: `npm start`'s local platform unless told otherwise. */
export interface PlatformTarget {
  urls: { onboarding: string; exports: string; reporting: string };
  tokens: { registrant: string; reviewer: string; operator: string; analyst: string };
  kafkaBrokers: string[];
  /** KAFKA_TOPIC_NAMESPACE of the services, if they run with one. */
  topicNamespace?: string;
  /**
   * A secured broker (SASL_SSL, SCRAM-SHA-512): the CA to trust and where each principal's password
   * is. The simulator then sends each partner's records as that partner (`partner-<partner>`) and
   * reads the reporting topics as `admin`.
   */
  kafkaSecurity?: { caFile: string; passwordFileOf: (principal: string) => string };
}

const ROOT = join(__dirname, '..', '..', '..');

/** The local platform of `npm start` (its ports, credentials and Kafka), with NIRYAT_* and KAFKA_* variables winning. */
export function localTarget(env: NodeJS.ProcessEnv = process.env): PlatformTarget {
  const read = (file: string) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, '.local', 'dev', file), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const credentials: { credentials?: { role: string; token: string }[] } | undefined = read('credentials.json');
  const token = (role: string) => {
    const found = env[`NIRYAT_${role.toUpperCase()}_TOKEN`] ?? credentials?.credentials?.find((c) => c.role === role)?.token;
    if (!found) throw new Error(`no ${role} token: set NIRYAT_${role.toUpperCase()}_TOKEN, or start the platform with npm start (it writes .local/dev/credentials.json)`);
    return found;
  };
  const infra: { kafka?: { brokers?: string } } | undefined = read('infra.json');
  const brokers = env.KAFKA_BROKERS ?? infra?.kafka?.brokers;
  if (!brokers) throw new Error('no Kafka brokers: set KAFKA_BROKERS, or start the platform with npm start (it writes .local/dev/infra.json)');
  const url = (name: string, port: number) => env[`NIRYAT_${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${env[`NIRYAT_${name.toUpperCase()}_PORT`] ?? port}`;
  return {
    urls: { onboarding: url('onboarding', 3001), exports: url('exports', 3002), reporting: url('reporting', 3004) },
    tokens: { registrant: token('registrant'), reviewer: token('reviewer'), operator: token('operator'), analyst: token('analyst') },
    kafkaBrokers: brokers.split(','),
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE || undefined,
    kafkaSecurity: kafkaSecurityOf(env),
  };
}

/** KAFKA_SSL_CA and NIRYAT_KAFKA_PASSWORDS_DIR (a folder of `<principal>.password` files, as the local infra keeps them) together: a secured broker. */
function kafkaSecurityOf(env: NodeJS.ProcessEnv): PlatformTarget['kafkaSecurity'] {
  const { KAFKA_SSL_CA: caFile, NIRYAT_KAFKA_PASSWORDS_DIR: dir } = env;
  if (!caFile && !dir) return undefined;
  if (!caFile || !dir) throw new Error('a secured broker needs both KAFKA_SSL_CA and NIRYAT_KAFKA_PASSWORDS_DIR');
  return { caFile, passwordFileOf: (principal) => join(dir, `${principal}.password`) };
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} answered ${status}: ${body.slice(0, 400)}`);
  }
}

/** JSON over HTTP with a bearer token; a non-2xx answer is an HttpError with the body. */
export async function call<T = unknown>(method: string, url: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: text,
    signal: AbortSignal.timeout(30_000),
  });
  const answer = await response.text();
  if (!response.ok) throw new HttpError(method, url, response.status, answer);
  return (answer ? JSON.parse(answer) : undefined) as T;
}

/** The README's partner signature: `v1=` hex HMAC-SHA256, keyed with the secret's text, of `<timestamp>.<body>`. */
export function signedHeaders(keyId: string, secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return { 'X-Niryat-Key-Id': keyId, 'X-Niryat-Timestamp': String(timestamp), 'X-Niryat-Signature': `v1=${signature}` };
}

/** A topic's name as the services use it (with their namespace). */
export const topicName = (target: PlatformTarget, base: string) => (target.topicNamespace ? `${target.topicNamespace}.${base}` : base);

/** A partner's own orders topic on the target platform, spelt as a partner's producer spells it. */
export const partnerTopicName = (target: PlatformTarget, partner: string) => topicName(target, `niryat.partner.${partner}.orders.v1`);

/** A Kafka client to the target: on a secured broker, as `principal` (the operators' admin unless said). */
export function kafkaOf(target: PlatformTarget, clientId: string, principal = 'admin'): Kafka {
  const security = target.kafkaSecurity;
  return new Kafka({
    clientId,
    brokers: target.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    ...(security
      ? {
          ssl: { ca: readFileSync(security.caFile, 'utf8') },
          sasl: { mechanism: 'scram-sha-512' as const, username: principal, password: readFileSync(security.passwordFileOf(principal), 'utf8').trim() },
        }
      : {}),
  });
}

export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}
