import { IsItcHsCode } from '@niryat/india';
import { IsCountryCode, IsCurrencyCode } from '@niryat/money';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import { ClassificationField, DistrictField, SellerIdField, StateCodeField, TimestampField } from '../reference/field-rules';
import { CALENDAR_DATE_PATTERN, MARKETPLACES, PROGRAMME_ID_PATTERN, type Marketplace, type MsmeCategory } from '../reference/marketplaces';
import { Topics } from '../topics';
import { PARTNER_ID_PATTERN, SHIPPING_BILL_PATTERN } from './partner-order.events';

const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/** The reference rate a conversion used: INR per one unit of the currency, in force from that day. */
export class FxRateUsedV1 {
  @IsCurrencyCode()
  currency!: string;

  @Matches(CALENDAR_DATE_PATTERN)
  effectiveFrom!: string;

  /** Exact decimal as text, never a float. */
  @Matches(/^\d{1,9}(\.\d{1,12})?$/)
  inrPerUnit!: string;
}

/** One HS line of an export (or of an adjustment, with negative values). */
export class ExportLineV1 {
  @Matches(PARTNER_ID_PATTERN)
  lineId!: string;

  @IsItcHsCode()
  hsCode!: string;

  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  quantity!: number;

  @IsInt()
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  valueMinor!: number;

  @IsInt()
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  valueUsdMinor!: number;

  @IsInt()
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  valueInrMinor!: number;
}

/**
 * What both export events carry: who exported what where, in the order's currency and converted
 * to USD and INR with the reference rates in force on the shipment date (recorded with the values).
 */
export class ExportFactsV1 {
  @IsUUID()
  exportId!: string;

  @IsIn(MARKETPLACES)
  partner!: Marketplace;

  @Matches(PARTNER_ID_PATTERN)
  orderId!: string;

  @SellerIdField()
  sellerId!: string;

  @StateCodeField()
  stateCode!: string;

  @DistrictField()
  district!: string;

  @ClassificationField()
  classification!: MsmeCategory;

  /** Programmes the seller was enrolled in on the shipment day; reporting counts the export in those whose marketplaces include `partner`. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(PROGRAMME_ID_PATTERN, { each: true })
  programmes!: string[];

  @IsCountryCode()
  destinationCountry!: string;

  /** The day the goods left India (shipping bill date, else the shipment event's day in IST). */
  @Matches(CALENDAR_DATE_PATTERN)
  shipmentDate!: string;

  @IsOptional()
  @Matches(SHIPPING_BILL_PATTERN)
  shippingBillNumber?: string;

  @IsCurrencyCode()
  currency!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExportLineV1)
  lines!: ExportLineV1[];

  @IsInt()
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  valueMinor!: number;

  @IsInt()
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  valueUsdMinor!: number;

  @IsInt()
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  valueInrMinor!: number;

  @IsObject()
  @ValidateNested()
  @Type(() => FxRateUsedV1)
  fxRate!: FxRateUsedV1;

  @IsObject()
  @ValidateNested()
  @Type(() => FxRateUsedV1)
  usdRate!: FxRateUsedV1;
}

/** An order shipped: its export value is recognised. */
export class ExportRecordedV1 extends ExportFactsV1 {
  @TimestampField()
  recordedAt!: string;
}

/** A correction of a recorded export: returned lines as negative values, at the original rates. */
export class ExportAdjustedV1 extends ExportFactsV1 {
  @IsUUID()
  adjustmentId!: string;

  @IsIn(['return', 'return-to-origin'])
  reason!: 'return' | 'return-to-origin';

  /** The day of the return; the value belongs to the shipment's month, the correction to this day. */
  @Matches(CALENDAR_DATE_PATTERN)
  adjustmentDate!: string;

  @TimestampField()
  recordedAt!: string;
}

function exportEvent<P extends ExportFactsV1>(name: string, payload: PayloadClass<P>) {
  return defineEvent<P>({
    type: `niryat.exports.export.${name}.v1`,
    payload,
    topic: Topics.exports,
    keyOf: (p) => p.sellerId,
    subjectOf: (p) => `exports/${p.exportId}`,
  });
}

export const ExportRecorded = exportEvent('recorded', ExportRecordedV1);
export const ExportAdjusted = exportEvent('adjusted', ExportAdjustedV1);
