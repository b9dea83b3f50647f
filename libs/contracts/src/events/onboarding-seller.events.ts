import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import { GST_STATE_CODES } from '../reference/indian-states';
import {
  MARKETPLACE_ACCOUNT_ID_PATTERN,
  MARKETPLACES,
  MSME_CATEGORIES,
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
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  district!: string;

  @IsIn(MSME_CATEGORIES)
  classification!: MsmeCategory;

  /** Programmes applied for at registration. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_ID_PATTERN, { each: true })
  programmes!: string[];

  @IsISO8601({ strict: true })
  registeredAt!: string;
}

export class SellerReviewStartedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsISO8601({ strict: true })
  startedAt!: string;

  /** Reviewer credential id. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  startedBy!: string;
}

export class SellerApprovedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  district!: string;

  @IsIn(MSME_CATEGORIES)
  classification!: MsmeCategory;

  /** Programmes applied for; enrolment in each follows as its own event. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_ID_PATTERN, { each: true })
  programmes!: string[];

  @IsISO8601({ strict: true })
  approvedAt!: string;

  /** Who approved: a reviewer id, never a personal name. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  approvedBy!: string;
}

export class SellerRejectedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;

  @IsISO8601({ strict: true })
  rejectedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  rejectedBy!: string;
}

export class SellerSuspendedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;

  @IsISO8601({ strict: true })
  suspendedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  suspendedBy!: string;
}

export class SellerReinstatedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @IsISO8601({ strict: true })
  reinstatedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  reinstatedBy!: string;
}

/** The seller's state, district or MSME category changed; the payload has the new and old values. */
export class SellerProfileChangedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  district!: string;

  @IsIn(MSME_CATEGORIES)
  classification!: MsmeCategory;

  @IsIn(GST_STATE_CODES)
  previousStateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  previousDistrict!: string;

  @IsIn(MSME_CATEGORIES)
  previousClassification!: MsmeCategory;

  @IsISO8601({ strict: true })
  changedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  changedBy!: string;
}

export class SellerEnrolledV1 {
  @IsUUID()
  sellerId!: string;

  @Matches(PROGRAMME_ID_PATTERN)
  programmeId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  district!: string;

  @IsIn(MSME_CATEGORIES)
  classification!: MsmeCategory;

  @IsISO8601({ strict: true })
  enrolledAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  enrolledBy!: string;
}

export class SellerWithdrawnV1 {
  @IsUUID()
  sellerId!: string;

  @Matches(PROGRAMME_ID_PATTERN)
  programmeId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  district!: string;

  @IsIn(MSME_CATEGORIES)
  classification!: MsmeCategory;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;

  @IsISO8601({ strict: true })
  withdrawnAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  withdrawnBy!: string;
}

export class MarketplaceAccountLinkedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(MARKETPLACES)
  marketplace!: Marketplace;

  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  accountId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsISO8601({ strict: true })
  linkedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  linkedBy!: string;
}

export class MarketplaceAccountUnlinkedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(MARKETPLACES)
  marketplace!: Marketplace;

  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  accountId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @IsISO8601({ strict: true })
  unlinkedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  unlinkedBy!: string;
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
export const MarketplaceAccountLinked = sellerEvent('niryat.onboarding.seller.marketplace-account-linked.v1', MarketplaceAccountLinkedV1);
export const MarketplaceAccountUnlinked = sellerEvent('niryat.onboarding.seller.marketplace-account-unlinked.v1', MarketplaceAccountUnlinkedV1);
