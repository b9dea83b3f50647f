import { IsItcHsCode } from '@niryat/india';
import { IsCountryCode, IsCurrencyCode } from '@niryat/money';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsNotIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import { IsCalendarDay, IsRecentDay, IsRecentTime } from '../reference/calendar';
import { CALENDAR_DATE_PATTERN, MARKETPLACE_ACCOUNT_ID_PATTERN } from '../reference/marketplaces';
import { PARTNER_ORDERS_CHANNEL } from '../topics';

/** Partner-issued identifiers (event, order, line ids): printable, no spaces, up to 128 characters. */
export const PARTNER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const RFC3339_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Indian shipping bills are numbered with up to 7 digits per port and year. */
export const SHIPPING_BILL_PATTERN = /^\d{6,7}$/;
const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/** One line of a cross-border order, as the partner sells it. */
export class OrderLineV1 {
  @Matches(PARTNER_ID_PATTERN)
  lineId!: string;

  @IsString()
  @Length(1, 64)
  sku!: string;

  @IsItcHsCode()
  hsCode!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  /** Price of one unit in minor units of the order's currency (cents, yen, fils). */
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  unitPriceMinor!: number;
}

/** A returned quantity of one shipped line. */
export class ReturnedLineV1 {
  @Matches(PARTNER_ID_PATTERN)
  lineId!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}

/**
 * What every partner order event carries. `eventId` equals the record's `ce_id` and is unique per
 * partner (`ce_source`); `sequence` orders the events of one order as the partner saw them, so
 * records that arrive out of order are put back in order.
 */
export class PartnerOrderEventV1 {
  @Matches(PARTNER_ID_PATTERN)
  eventId!: string;

  @Matches(PARTNER_ID_PATTERN)
  orderId!: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  sequence!: number;

  /** RFC 3339 with an explicit offset: a time without one would be read in the server's zone. */
  @IsISO8601({ strict: true })
  @Matches(RFC3339_TIMESTAMP_PATTERN, { message: 'occurredAt must be an RFC 3339 timestamp with an offset, e.g. 2026-03-12T06:30:00Z' })
  @IsRecentTime()
  occurredAt!: string;

  /** The seller's account id on the partner's marketplace (linked to a seller in onboarding). */
  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  sellerAccountId!: string;

  /** ISO 3166-1 alpha-2; an export goes abroad, so never IN. */
  @IsCountryCode()
  @IsNotIn(['IN'], { message: 'destinationCountry must be outside India for an export' })
  destinationCountry!: string;

  /** ISO 4217 currency of every amount in the event. */
  @IsCurrencyCode()
  currency!: string;
}

export class OrderPlacedV1 extends PartnerOrderEventV1 {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLineV1)
  lines!: OrderLineV1[];
}

/** Export value is recognised when an order ships: the lines here are what left the country. */
export class OrderShippedV1 extends PartnerOrderEventV1 {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLineV1)
  lines!: OrderLineV1[];

  @IsOptional()
  @Matches(SHIPPING_BILL_PATTERN, { message: 'shippingBillNumber must be the 6 or 7 digits of an Indian shipping bill' })
  shippingBillNumber?: string;

  @IsOptional()
  @Matches(CALENDAR_DATE_PATTERN)
  @IsCalendarDay()
  @IsRecentDay()
  shippingBillDate?: string;
}

export class OrderCustomsClearedV1 extends PartnerOrderEventV1 {}

export class OrderDeliveredV1 extends PartnerOrderEventV1 {}

export class OrderCancelledV1 extends PartnerOrderEventV1 {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** Some or all shipped units came back: a negative adjustment of those lines' value. */
export class OrderReturnedV1 extends PartnerOrderEventV1 {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReturnedLineV1)
  lines!: ReturnedLineV1[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** Return to origin: the shipment never reached the buyer and came back whole (ONDC's RTO). */
export class OrderReturnedToOriginV1 extends PartnerOrderEventV1 {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

function partnerOrderEvent<P extends PartnerOrderEventV1>(name: string, payload: PayloadClass<P>) {
  return defineEvent<P>({
    type: `niryat.partner.order.${name}.v1`,
    payload,
    topic: PARTNER_ORDERS_CHANNEL,
    // The record key is `<partner>:<orderId>`; the partner is the topic's (and ce_source), not in the payload,
    // so producers set the key themselves. keyOf gives the payload's part for those that build it here.
    keyOf: (p) => p.orderId,
    subjectOf: (p) => `orders/${p.orderId}`,
  });
}

export const OrderPlaced = partnerOrderEvent('placed', OrderPlacedV1);
export const OrderShipped = partnerOrderEvent('shipped', OrderShippedV1);
export const OrderCustomsCleared = partnerOrderEvent('customs-cleared', OrderCustomsClearedV1);
export const OrderDelivered = partnerOrderEvent('delivered', OrderDeliveredV1);
export const OrderCancelled = partnerOrderEvent('cancelled', OrderCancelledV1);
export const OrderReturned = partnerOrderEvent('returned', OrderReturnedV1);
export const OrderReturnedToOrigin = partnerOrderEvent('returned-to-origin', OrderReturnedToOriginV1);

export const PARTNER_ORDER_EVENTS = [OrderPlaced, OrderShipped, OrderCustomsCleared, OrderDelivered, OrderCancelled, OrderReturned, OrderReturnedToOrigin];

/** The partner of a record key `<partner>:<orderId>` (what precedes the first colon). */
export function partnerOfOrderKey(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}

/** The record key partners use on their orders topic: per-order ordering within a partner. */
export function partnerOrderKey(partnerId: string, orderId: string): string {
  return `${partnerId}:${orderId}`;
}
