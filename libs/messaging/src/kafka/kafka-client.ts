import { Logger } from '@nestjs/common';
import { Admin, Kafka, logLevel, LogEntry, Partitioners, Producer, SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import { TopicSpec } from '@niryat/contracts';

export interface MessagingConfig {
  brokers: string[];
  clientId: string;
  /**
   * Optional prefix for every topic name, so several environments (or test runs) can share one
   * cluster without seeing each other's records. Empty in production.
   */
  topicNamespace?: string;
  /** Replication factor for topics this service creates: 1 on a single local broker, 3 in a real cluster. */
  replicationFactor?: number;
  /** TLS to the brokers (CA, client certificate); undefined: plaintext. */
  ssl?: ConnectionOptions;
  /** SASL authentication (SCRAM on the platform's clusters); undefined: none. */
  sasl?: SASLOptions;
}

const KAFKAJS_LEVEL_TO_NEST: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Demoted to debug: connection failures are reported once by the caller that retries them (relay,
 * consumer, health); and the producer's retries are bounded on purpose, because exactly-once rests
 * on the outbox (which re-sends) and the consumers' inboxes (which drop the copies), not on it.
 */
const EXPECTED_NOISE = /^(Connection error|Failed to connect to seed broker|Connection timeout|Limiting retries for the idempotent producer)/;

/** Broker answers that kafkajs retries by itself, e.g. right after a broker starts or fails over. */
const TRANSIENT_BROKER_ERRORS = /coordinator is loading|not the correct coordinator|Topic creation errors|leader not available/i;

/** Routes kafkajs' own logging into the service logger instead of raw JSON on stdout. */
function nestLogCreator() {
  const logger = new Logger('kafkajs');
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, stack: _stack, ...extra } = log as LogEntry['log'] & { stack?: string };
      const expected = EXPECTED_NOISE.test(message) || TRANSIENT_BROKER_ERRORS.test(String(extra.error ?? ''));
      const nestLevel = expected ? 'debug' : (KAFKAJS_LEVEL_TO_NEST[level] ?? 'log');
      logger[nestLevel](`${message} ${JSON.stringify(extra)}`);
    };
}

/** Connects a client once; a failed connect forgets it so the next caller tries afresh. */
function connectOnce<C extends { connect(): Promise<void> }>(client: C, forget: () => void): Promise<C> {
  return client.connect().then(
    () => client,
    (error: unknown) => {
      forget();
      throw error;
    },
  );
}

/**
 * One Kafka connection per service: the client, a shared idempotent producer and an admin client,
 * plus the topic namespace every topic name passes through.
 */
export class KafkaClient {
  readonly kafka: Kafka;
  /** The kafkajs producer the shared producer sends through now, and its connection. */
  private current?: { producer: Producer; connected: Promise<Producer> };
  /** The sends through the shared producer, one at a time: settles when the last one has. */
  private sending: Promise<void> = Promise.resolve();
  private adminPromise?: Promise<Admin>;

  constructor(readonly config: MessagingConfig) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator(),
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      // Short client-level retries: callers (relay, consumer) own the long retry loop, so an outage
      // surfaces quickly as an error they can back off from instead of a call that hangs for minutes.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  topic(baseName: string): string {
    return this.config.topicNamespace ? `${this.config.topicNamespace}.${baseName}` : baseName;
  }

  /** Consumer groups are namespaced like topics, so namespaced environments never share offsets. */
  groupId(baseName: string): string {
    return this.topic(baseName);
  }

  /**
   * The shared idempotent producer (acks=all, one in-flight request): the broker drops the copies
   * its own retries write.
   *
   * Its sends go one at a time, and after one fails the next goes through a new kafkajs producer (a
   * new producer id), because kafkajs' idempotent producer does not survive a failed request: it
   * rolls back the sequence numbers of every partition of the request, though the broker may have
   * appended some of them (a partial answer while the broker restarts or moves a leader, a timeout
   * after the append, another partition refused), and never takes a new producer id. A later batch
   * of that producer (another send, or one that slipped in between a send's attempts) the broker may
   * then refuse for good (OUT_OF_ORDER_SEQUENCE_NUMBER, so callers that retry retry for ever) or
   * acknowledge as a duplicate and drop; only the send's own retry, the same batch, is safe. The new
   * producer may write again what the failed request wrote: its callers are at least once already
   * (outbox relay, dead letters, partner ingest), and consumers drop the copies. One at a time costs
   * little: kafkajs already sent an idempotent producer's requests to a broker one at a time.
   */
  producer(): Promise<Producer> {
    return this.connectedProducer().then((producer) => ({
      ...producer,
      send: (record) => this.inTurn((current) => current.send(record)),
      sendBatch: (batch) => this.inTurn((current) => current.sendBatch(batch)),
    }));
  }

  /** Runs one send once the sends before it have settled; if it fails, the next one gets a new producer. */
  private inTurn<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
    const sent = this.sending.then(async () => {
      const producer = await this.connectedProducer();
      try {
        return await send(producer);
      } catch (error) {
        this.forgetProducer(producer);
        void producer.disconnect().catch(() => undefined);
        throw error;
      }
    });
    this.sending = sent.then(
      () => undefined,
      () => undefined,
    );
    return sent;
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.current) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // A leader moving (a new topic, a broker restarting) can take seconds on a busy machine: about 10 s of retries.
        retry: { retries: 6, initialRetryTime: 200, maxRetryTime: 3_000 },
      });
      this.current = { producer, connected: connectOnce(producer, () => this.forgetProducer(producer)) };
    }
    return this.current.connected;
  }

  private forgetProducer(producer: Producer): void {
    if (this.current?.producer === producer) this.current = undefined;
  }

  admin(): Promise<Admin> {
    this.adminPromise ??= connectOnce(this.kafka.admin(), () => (this.adminPromise = undefined));
    return this.adminPromise;
  }

  /**
   * Creates missing topics with their configured partitions and retention; existing ones are left
   * alone. Several services create the shared topics at boot at once, and a topic another one has
   * just created may not be in every metadata answer yet: so losing the race, or a brief
   * "unknown topic or partition", is retried until every topic exists with a leader.
   *
   * `mayCreate` limits what this client creates (a service creates only its own topics: on a
   * secured cluster it may create nothing else); the others it waits for, as their owner or the
   * cluster's topic declarations (Strimzi `KafkaTopic`s, the local infra) create them.
   */
  async ensureTopics(
    specs: readonly Pick<TopicSpec, 'name' | 'partitions' | 'config'>[],
    { attempts = 20, delayMs = 500, mayCreate = specs }: { attempts?: number; delayMs?: number; mayCreate?: readonly Pick<TopicSpec, 'name'>[] } = {},
  ): Promise<void> {
    const admin = await this.admin();
    const creatable = new Set(mayCreate.map((spec) => spec.name));
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const absent = specs.filter((spec) => !existing.has(this.topic(spec.name)));
        const missing = absent.filter((spec) => creatable.has(spec.name));
        const waitingFor = absent.filter((spec) => !creatable.has(spec.name));
        if (waitingFor.length > 0 && attempt >= attempts) {
          throw new Error(`topics ${waitingFor.map((spec) => this.topic(spec.name)).join(', ')} do not exist, and this service does not create them: their owner or the cluster's topic declarations must`);
        }
        if (missing.length > 0) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((spec) => ({
              topic: this.topic(spec.name),
              numPartitions: spec.partitions,
              replicationFactor: this.config.replicationFactor ?? 1,
              configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
            })),
          });
        }
        if (waitingFor.length > 0) throw new Error(`waiting for topics ${waitingFor.map((spec) => this.topic(spec.name)).join(', ')}`);
        await admin.fetchTopicMetadata({ topics: specs.map((spec) => this.topic(spec.name)) });
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Answers only when a broker responds to a metadata request; used by health checks. */
  async ping(timeoutMs = 3_000): Promise<void> {
    const admin = await this.admin();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        admin.describeCluster(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.sending;
    const [producer, admin] = await Promise.allSettled([this.current?.connected, this.adminPromise]);
    this.current = undefined;
    this.adminPromise = undefined;
    if (producer.status === 'fulfilled' && producer.value) await producer.value.disconnect();
    if (admin.status === 'fulfilled' && admin.value) await admin.value.disconnect();
  }
}
