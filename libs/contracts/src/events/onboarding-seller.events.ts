import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import {
  ActorField,
  ClassificationField,
  DistrictField,
  ProgrammeIdField,
  ReasonField,
  SellerIdField,
  StateCodeField,
  TimestampField,
} from '../reference/field-rules';
import {
  CALENDAR_DATE_PATTERN,
  MARKETPLACE_ACCOUNT_ID_PATTERN,
  MARKETPLACES,
  PROGRAMME_ID_PATTERN,
  type Marketplace,
  type MsmeCategory,
} from '../reference/marketplaces';
import { Topics } from '../topics';

/** @deprecated name kept for existing imports: programme ids are slugs. */
export const PROGRAMME_CODE_PATTERN = PROGRAMME_ID_PATTERN;

// Seller payloads carry what downstream services count and route by (state, district, MSME
// category, programme ids, marketplace accounts), never bank details, PAN, GSTIN or contacts.
// They are flat on purpose: one level of fields is easy to read in any language and in SQL.
// Every event about one seller is keyed by the seller id, so they stay in order on one partition.

function sellerEvent<P extends { sellerId: string }>(type: string, payload: PayloadClass<P>) {
  return defineEvent<P>({
    type,
    payload,
    topic: Topics.onboardingSeller,
    keyOf: (p) => p.sellerId,
    subjectOf: (p) => `sellers/${p.sellerId}`,
  });
}

export class SellerRegisteredV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @DistrictField()
  district!: string;

  @ClassificationField()
  classification!: MsmeCategory;

  /** Programmes applied for at registration. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_ID_PATTERN, { each: true })
  programmes!: string[];

  @TimestampField()
  registeredAt!: string;
}

export class SellerReviewStartedV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @TimestampField()
  startedAt!: string;

  /** Reviewer credential id. */
  @ActorField()
  startedBy!: string;
}

export class SellerApprovedV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @DistrictField()
  district!: string;

  @ClassificationField()
  classification!: MsmeCategory;

  /** Programmes applied for; enrolment in each follows as its own event. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_ID_PATTERN, { each: true })
  programmes!: string[];

  @TimestampField()
  approvedAt!: string;

  /** Who approved: a reviewer id, never a personal name. */
  @ActorField()
  approvedBy!: string;
}

export class SellerRejectedV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @ReasonField()
  reason!: string;

  @TimestampField()
  rejectedAt!: string;

  @ActorField()
  rejectedBy!: string;
}

export class SellerSuspendedV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @ReasonField()
  reason!: string;

  @TimestampField()
  suspendedAt!: string;

  @ActorField()
  suspendedBy!: string;
}

export class SellerReinstatedV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @TimestampField()
  reinstatedAt!: string;

  @ActorField()
  reinstatedBy!: string;
}

/** The seller's state, district or MSME category changed; the payload has the new and old values. */
export class SellerProfileChangedV1 {
  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @DistrictField()
  district!: string;

  @ClassificationField()
  classification!: MsmeCategory;

  @StateCodeField()
  previousStateCode!: string;

  @DistrictField()
  previousDistrict!: string;

  @ClassificationField()
  previousClassification!: MsmeCategory;

  @TimestampField()
  changedAt!: string;

  @ActorField()
  changedBy!: string;
}

export class SellerEnrolledV1 {
  @SellerIdField()
  sellerId!: string;

  @ProgrammeIdField()
  programmeId!: string;

  @StateCodeField()
  stateCode!: string;

  @DistrictField()
  district!: string;

  @ClassificationField()
  classification!: MsmeCategory;

  @TimestampField()
  enrolledAt!: string;

  /**
   * The day (YYYY-MM-DD, in India) the seller joined the programme, when a reviewer recorded an
   * enrolment older than the request (a seller in Amazon Global Selling since 2019 registering
   * now). Absent: the day of `enrolledAt` in India. Exports from that day count in the programme.
   */
  @IsOptional()
  @Matches(CALENDAR_DATE_PATTERN)
  enrolledSince?: string;

  @ActorField()
  enrolledBy!: string;
}

export class SellerWithdrawnV1 {
  @SellerIdField()
  sellerId!: string;

  @ProgrammeIdField()
  programmeId!: string;

  @StateCodeField()
  stateCode!: string;

  @DistrictField()
  district!: string;

  @ClassificationField()
  classification!: MsmeCategory;

  @ReasonField()
  reason!: string;

  @TimestampField()
  withdrawnAt!: string;

  @ActorField()
  withdrawnBy!: string;
}

export class MarketplaceAccountLinkedV1 {
  @SellerIdField()
  sellerId!: string;

  @IsIn(MARKETPLACES)
  marketplace!: Marketplace;

  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  accountId!: string;

  @StateCodeField()
  stateCode!: string;

  @TimestampField()
  linkedAt!: string;

  @ActorField()
  linkedBy!: string;
}

export class MarketplaceAccountUnlinkedV1 {
  @SellerIdField()
  sellerId!: string;

  @IsIn(MARKETPLACES)
  marketplace!: Marketplace;

  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  accountId!: string;

  @StateCodeField()
  stateCode!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @TimestampField()
  unlinkedAt!: string;

  @ActorField()
  unlinkedBy!: string;
}

/**
 * What a change to an approved seller may touch that a reviewer must see first: the state it is
 * registered in (with its GSTIN and Udyam number: `relocation`), or the bank account exports are
 * paid to. Names only: the values never travel on events.
 */
export const REVIEWED_CHANGE_FIELDS = ['relocation', 'bankAccount'] as const;
export type ReviewedChangeField = (typeof REVIEWED_CHANGE_FIELDS)[number];

class SellerChangeFactsV1 {
  @SellerIdField()
  sellerId!: string;

  @IsUUID()
  changeId!: string;

  /** The seller's state at this step: its current one while the change waits or is rejected, the new one once a relocation is approved. */
  @StateCodeField()
  stateCode!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(REVIEWED_CHANGE_FIELDS, { each: true })
  fields!: ReviewedChangeField[];
}

/** A registrant asked to change the identity, state or bank account of an approved seller: it waits for a reviewer. */
export class SellerChangeRequestedV1 extends SellerChangeFactsV1 {
  @TimestampField()
  requestedAt!: string;

  @ActorField()
  requestedBy!: string;
}

/** A reviewer approved the change; it is applied (a move to another state follows as SellerProfileChangedV1). */
export class SellerChangeApprovedV1 extends SellerChangeFactsV1 {
  @TimestampField()
  approvedAt!: string;

  @ActorField()
  approvedBy!: string;
}

/** A reviewer rejected the change; the seller stays as it was. */
export class SellerChangeRejectedV1 extends SellerChangeFactsV1 {
  @ReasonField()
  reason!: string;

  @TimestampField()
  rejectedAt!: string;

  @ActorField()
  rejectedBy!: string;
}

export const SellerRegistered = sellerEvent('niryat.onboarding.seller.registered.v1', SellerRegisteredV1);
export const SellerReviewStarted = sellerEvent('niryat.onboarding.seller.review-started.v1', SellerReviewStartedV1);
export const SellerApproved = sellerEvent('niryat.onboarding.seller.approved.v1', SellerApprovedV1);
export const SellerRejected = sellerEvent('niryat.onboarding.seller.rejected.v1', SellerRejectedV1);
export const SellerSuspended = sellerEvent('niryat.onboarding.seller.suspended.v1', SellerSuspendedV1);
export const SellerReinstated = sellerEvent('niryat.onboarding.seller.reinstated.v1', SellerReinstatedV1);
export const SellerProfileChanged = sellerEvent('niryat.onboarding.seller.profile-changed.v1', SellerProfileChangedV1);
export const SellerEnrolled = sellerEvent('niryat.onboarding.seller.enrolled.v1', SellerEnrolledV1);
export const SellerWithdrawn = sellerEvent('niryat.onboarding.seller.withdrawn.v1', SellerWithdrawnV1);
export const SellerChangeRequested = sellerEvent('niryat.onboarding.seller.change-requested.v1', SellerChangeRequestedV1);
export const SellerChangeApproved = sellerEvent('niryat.onboarding.seller.change-approved.v1', SellerChangeApprovedV1);
export const SellerChangeRejected = sellerEvent('niryat.onboarding.seller.change-rejected.v1', SellerChangeRejectedV1);
export const MarketplaceAccountLinked = sellerEvent('niryat.onboarding.seller.marketplace-account-linked.v1', MarketplaceAccountLinkedV1);
export const MarketplaceAccountUnlinked = sellerEvent('niryat.onboarding.seller.marketplace-account-unlinked.v1', MarketplaceAccountUnlinkedV1);
