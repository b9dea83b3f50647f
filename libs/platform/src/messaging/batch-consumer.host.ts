import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { BatchConsumer, BatchConsumerOptions, ChunkApplied, KafkaClient, MessagingMetrics } from '@niryat/messaging';
import { DataSource } from 'typeorm';
import { PlatformMetrics } from '../metrics/platform-metrics';
import { OutboxRelayHost } from './messaging.providers';

/**
 * Runs one BatchConsumer for as long as the app lives: started after boot, stopped (letting the
 * chunk in flight finish) before the database and Kafka connections close. A service's consumer
 * is a subclass that names its group, topics, event types and handler.
 */
export abstract class BatchConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: BatchConsumer;
  /** Test seam, see BatchConsumerOptions.afterDatabaseCommit. */
  afterDatabaseCommit?: (chunk: ChunkApplied) => Promise<void>;

  /**
   * The service's outbox relay, told to look at once after every chunk committed: what a handler
   * appended to the outbox goes out now, not at the relay's next poll (up to
   * OUTBOX_POLL_INTERVAL_MS later). A property, so the services' consumers need not pass it on.
   */
  @Optional()
  @Inject(OutboxRelayHost)
  private readonly relayHost?: OutboxRelayHost;

  /** The app's metrics: the consumer reports to them, and they read its lag at each scrape. A property, as relayHost. */
  @Optional()
  @Inject(PlatformMetrics)
  private readonly metrics?: PlatformMetrics;

  protected constructor(dataSource: DataSource, kafka: KafkaClient, options: Omit<BatchConsumerOptions, 'afterDatabaseCommit' | 'metrics'>) {
    // Properties are injected after the constructor: the consumer reports through them when it runs.
    const metrics: MessagingMetrics = {
      consumerTransaction: (...args) => this.metrics?.consumerTransaction(...args),
      deadLettered: (...args) => this.metrics?.deadLettered(...args),
      outboxPublished: () => undefined,
      outboxPassFailed: () => undefined,
    };
    this.consumer = new BatchConsumer(dataSource, kafka, {
      ...options,
      metrics,
      afterDatabaseCommit: async (chunk) => {
        if (chunk.applied > 0) this.relayHost?.relay.nudge();
        await this.afterDatabaseCommit?.(chunk);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.metrics?.watchConsumer(this.consumer);
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
