import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TopicSpecs } from '@niryat/contracts';
import { KafkaClient, OutboxRelay } from '@niryat/messaging';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/service-env';
import { PlatformMetrics } from '../metrics/platform-metrics';

export const SERVICE_ENV = Symbol('SERVICE_ENV');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Creates the platform's domain topics at boot (idempotent), and closes Kafka connections last. */
@Injectable()
export class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly kafka: KafkaClient) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.kafka.ensureTopics(TopicSpecs);
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
