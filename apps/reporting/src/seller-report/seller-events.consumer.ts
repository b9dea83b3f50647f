import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SellerApproved, SellerApprovedV1, Topics } from '@niryat/contracts';
import { BatchConsumer, ChunkApplied, InboundEvent, KafkaClient } from '@niryat/messaging';
import { SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../reporting.env';
import { ApprovedSellersProjection } from './approved-sellers.projection';

export const SELLER_EVENTS_GROUP = 'reporting.seller-events';

/** Feeds onboarding's seller events into the seller views; thin: the projection does the work. */
@Injectable()
export class SellerEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: BatchConsumer;
  /** Test seam, see BatchConsumerOptions.afterDatabaseCommit. */
  afterDatabaseCommit?: (chunk: ChunkApplied) => Promise<void>;

  constructor(dataSource: DataSource, kafka: KafkaClient, projection: ApprovedSellersProjection, @Inject(SERVICE_ENV) env: ReportingEnv) {
    this.consumer = new BatchConsumer(dataSource, kafka, {
      groupId: SELLER_EVENTS_GROUP,
      topics: [Topics.onboardingSeller],
      handles: [SellerApproved],
      schema: schemaOfService('reporting', env),
      maxChunkSize: env.CONSUMER_CHUNK_SIZE,
      handler: (events, manager) => projection.apply(events as InboundEvent<SellerApprovedV1>[], manager),
      afterDatabaseCommit: async (chunk) => this.afterDatabaseCommit?.(chunk),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
