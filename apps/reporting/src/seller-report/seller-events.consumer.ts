import { SellerApproved, SellerApprovedV1, Topics } from '@niryat/contracts';
import { BatchConsumerOptions, InboundEvent } from '@niryat/messaging';
import { ApprovedSellersProjection } from './approved-sellers.projection';

export const SELLER_EVENTS_GROUP = 'reporting.seller-events';

/** This projection's part of the reporting consumer (ReportingViews.consumer). */
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
