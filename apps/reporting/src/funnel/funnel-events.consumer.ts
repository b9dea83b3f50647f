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
import { BatchConsumerOptions } from '@niryat/messaging';
import { FunnelProjection } from './funnel.projection';

export const FUNNEL_GROUP = 'reporting.funnel';

/** This projection's part of the reporting consumer (ReportingViews.consumer); its spec runs it alone. */
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
