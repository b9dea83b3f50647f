import { Inject, Injectable } from '@nestjs/common';
import { SellerApproved, SellerApprovedV1, Topics } from '@niryat/contracts';
import { BatchConsumerOptions, InboundEvent, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../reporting.env';
import { ApprovedSellersProjection } from './approved-sellers.projection';

export const SELLER_EVENTS_GROUP = 'reporting.seller-events';

/** The consumer's options, shared with the rebuild so it runs the consumer the app runs. */
export function sellerEventsConsumerOptions(
  projection: ApprovedSellersProjection,
  schema: string,
  maxChunkSize?: number,
): Omit<BatchConsumerOptions, 'afterDatabaseCommit'> {
  return {
    groupId: SELLER_EVENTS_GROUP,
    topics: [Topics.onboardingSeller],
    handles: [SellerApproved],
    schema,
    maxChunkSize,
    handler: (events, manager) => projection.apply(events as InboundEvent<SellerApprovedV1>[], manager),
  };
}

/** Feeds onboarding's seller events into the seller views; thin: the projection does the work. */
@Injectable()
export class SellerEventsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: ApprovedSellersProjection, @Inject(SERVICE_ENV) env: ReportingEnv) {
    super(dataSource, kafka, sellerEventsConsumerOptions(projection, schemaOfService('reporting', env), env.CONSUMER_CHUNK_SIZE));
  }
}
