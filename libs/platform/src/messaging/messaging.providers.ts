import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ownedBy, SERVICES, topicSpecsOf, TopicSpecs } from '@niryat/contracts';
import { KafkaClient, OutboxRelay } from '@niryat/messaging';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/service-env';
import { PlatformMetrics } from '../metrics/platform-metrics';

export const SERVICE_ENV = Symbol('SERVICE_ENV');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/**
 * Makes sure of the topics the service writes and reads at boot (idempotent), and closes Kafka
 * connections last. Over plaintext (a local broker without ACLs) it creates any that is missing,
 * so the services may start in any order; authenticated (SASL), it creates only its own topics, as
 * its ACLs allow, and waits for the others (Strimzi `KafkaTopic`s, the local infra, their owner).
 */
@Injectable()
export class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly kafka: KafkaClient,
    @Inject(SERVICE_NAME) private readonly name: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const service = SERVICES.find((s) => s === this.name);
    const specs = service ? topicSpecsOf(service) : TopicSpecs;
    const mayCreate = service && this.kafka.config.sasl ? ownedBy(service, specs) : specs;
    await this.kafka.ensureTopics(specs, { mayCreate, attempts: this.kafka.config.sasl ? 120 : 20 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.close();
  }
}

/** Runs the service's outbox relay for as long as the app lives. */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, kafka: KafkaClient, @Inject(SERVICE_ENV) env: ServiceEnv, @Inject(SERVICE_NAME) name: string, metrics: PlatformMetrics) {
    this.relay = new OutboxRelay(dataSource, kafka, { schema: env.DB_SCHEMA ?? name, pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS, metrics });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
