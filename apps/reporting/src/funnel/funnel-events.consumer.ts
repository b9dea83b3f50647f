import { Inject, Injectable } from '@nestjs/common';
import {
  CertificationAwarded,
  ExportRecorded,
  LearnerEnrolled,
  LearnerWithdrawn,
  SellerApproved,
  SellerEnrolled,
  SellerProfileChanged,
  SellerRegistered,
  SellerReinstated,
  SellerRejected,
  SellerSuspended,
  SellerWithdrawn,
  Topics,
} from '@niryat/contracts';
import { BatchConsumerOptions, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../reporting.env';
import { FunnelProjection } from './funnel.projection';

export const FUNNEL_GROUP = 'reporting.funnel';

/** The consumer's options, shared with the integration test so it runs the consumer the app runs. */
export function funnelConsumerOptions(
  projection: FunnelProjection,
  schema: string,
  maxChunkSize?: number,
): Omit<BatchConsumerOptions, 'afterDatabaseCommit'> {
  return {
    groupId: FUNNEL_GROUP,
    topics: [Topics.onboardingSeller, Topics.exports, Topics.training],
    handles: [
      SellerRegistered,
      SellerApproved,
      SellerRejected,
      SellerSuspended,
      SellerReinstated,
      SellerProfileChanged,
      SellerEnrolled,
      SellerWithdrawn,
      ExportRecorded,
      LearnerEnrolled,
      LearnerWithdrawn,
      CertificationAwarded,
    ],
    schema,
    maxChunkSize,
    handler: (events, manager) => projection.apply(events, manager),
  };
}

/** Feeds seller, export and learner events into the funnel and training views; thin: the projection does the work. */
@Injectable()
export class FunnelEventsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: FunnelProjection, @Inject(SERVICE_ENV) env: ReportingEnv) {
    super(dataSource, kafka, funnelConsumerOptions(projection, schemaOfService('reporting', env), env.CONSUMER_CHUNK_SIZE));
  }
}
