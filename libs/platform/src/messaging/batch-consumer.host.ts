import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { BatchConsumer, BatchConsumerOptions, ChunkApplied, KafkaClient } from '@niryat/messaging';
import { DataSource } from 'typeorm';

/**
 * Runs one BatchConsumer for as long as the app lives: started after boot, stopped (letting the
 * chunk in flight finish) before the database and Kafka connections close. A service's consumer
 * is a subclass that names its group, topics, event types and handler.
 */
export abstract class BatchConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: BatchConsumer;
  /** Test seam, see BatchConsumerOptions.afterDatabaseCommit. */
  afterDatabaseCommit?: (chunk: ChunkApplied) => Promise<void>;

  protected constructor(dataSource: DataSource, kafka: KafkaClient, options: Omit<BatchConsumerOptions, 'afterDatabaseCommit'>) {
    this.consumer = new BatchConsumer(dataSource, kafka, { ...options, afterDatabaseCommit: async (chunk) => this.afterDatabaseCommit?.(chunk) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
