import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { defineEvent } from '../event-definition';
import { GST_STATE_CODES } from '../reference/indian-states';
import { Topics } from '../topics';

/** Programme codes are slugs, e.g. `amazon-global-selling`. */
export const PROGRAMME_CODE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class SellerRegisteredV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_CODE_PATTERN, { each: true })
  programmes!: string[];

  @IsISO8601({ strict: true })
  registeredAt!: string;
}

export class SellerApprovedV1 {
  @IsUUID()
  sellerId!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_CODE_PATTERN, { each: true })
  programmes!: string[];

  @IsISO8601({ strict: true })
  approvedAt!: string;

  /** Who approved: a reviewer id, never a personal name. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  approvedBy!: string;
}

export const SellerRegistered = defineEvent({
  type: 'niryat.onboarding.seller.registered.v1',
  topic: Topics.onboardingSeller,
  payload: SellerRegisteredV1,
  keyOf: (p) => p.sellerId,
  subjectOf: (p) => `sellers/${p.sellerId}`,
});

export const SellerApproved = defineEvent({
  type: 'niryat.onboarding.seller.approved.v1',
  topic: Topics.onboardingSeller,
  payload: SellerApprovedV1,
  keyOf: (p) => p.sellerId,
  subjectOf: (p) => `sellers/${p.sellerId}`,
});
