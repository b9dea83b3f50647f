import type { ExportLineV1, FxRateUsedV1 } from '@niryat/contracts';
import { ProcessedEvent } from '@niryat/testing';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EnrolmentPeriod, HistoryEvent } from '../service';

/**
 * TypeORM entities of the naive variant, mapped onto the exports service's OWN tables: the naive
 * schema is created by the real migrations (no `synchronize`), so both variants write the same
 * rows into the same table layout, with the same keys, indexes and unique constraints, and the
 * comparison measures the access pattern only. Bench code: the service itself uses no entities.
 */

/** Postgres bigint arrives as a string; every amount here is a safe integer of minor units. */
const minor = { to: (value: number) => value, from: (value: string) => Number(value) };
/** numeric(21,12) comes back as '89.875000000000'; the service reads it with trim_scale(): '89.875'. */
const trimmedScale = { to: (value: string) => value, from: (value: string) => value.replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1') };

@Entity({ name: 'marketplace_accounts' })
export class MarketplaceAccount {
  @PrimaryColumn({ type: 'text' })
  marketplace!: string;

  @PrimaryColumn({ name: 'account_id', type: 'text' })
  accountId!: string;

  @Column({ name: 'seller_id', type: 'uuid' })
  sellerId!: string;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;
}

@Entity({ name: 'seller_directory' })
export class SellerDirectoryEntry {
  @PrimaryColumn({ name: 'seller_id', type: 'uuid' })
  sellerId!: string;

  @Column({ name: 'state_code', type: 'char', length: 2 })
  stateCode!: string;

  @Column({ type: 'text' })
  district!: string;

  @Column({ type: 'text' })
  classification!: string;

  @Column({ type: 'text' })
  status!: string;

  /** When the seller was enrolled in what: an export counts in the programmes of its shipment day. */
  @Column({ type: 'jsonb' })
  enrolments!: EnrolmentPeriod[];
}

@Entity({ name: 'fx_rates' })
export class FxRateEntry {
  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  @PrimaryColumn({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;

  @Column({ name: 'inr_per_unit', type: 'numeric', precision: 21, scale: 12, transformer: trimmedScale })
  inrPerUnit!: string;
}

@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'text' })
  partner!: string;

  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ name: 'seller_id', type: 'uuid' })
  sellerId!: string;

  @Column({ name: 'seller_account_id', type: 'text' })
  sellerAccountId!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'destination_country', type: 'char', length: 2 })
  destinationCountry!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'export_id', type: 'uuid', nullable: true })
  exportId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'order_events' })
export class OrderEvent {
  @PrimaryColumn({ type: 'text' })
  partner!: string;

  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId!: string;

  @PrimaryColumn({ type: 'integer' })
  sequence!: number;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'jsonb' })
  event!: HistoryEvent;

  @Column({ type: 'boolean' })
  applied!: boolean;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

@Entity({ name: 'exports' })
export class ExportRecord {
  @PrimaryColumn({ name: 'export_id', type: 'uuid' })
  exportId!: string;

  @Column({ type: 'text' })
  partner!: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ name: 'seller_id', type: 'uuid' })
  sellerId!: string;

  @Column({ name: 'state_code', type: 'char', length: 2 })
  stateCode!: string;

  @Column({ type: 'text' })
  district!: string;

  @Column({ type: 'text', array: true })
  programmes!: string[];

  @Column({ name: 'destination_country', type: 'char', length: 2 })
  destinationCountry!: string;

  @Column({ name: 'shipment_date', type: 'date' })
  shipmentDate!: string;

  @Column({ name: 'shipping_bill', type: 'text', nullable: true })
  shippingBill!: string | null;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'value_minor', type: 'bigint', transformer: minor })
  valueMinor!: number;

  @Column({ name: 'value_usd_minor', type: 'bigint', transformer: minor })
  valueUsdMinor!: number;

  @Column({ name: 'value_inr_minor', type: 'bigint', transformer: minor })
  valueInrMinor!: number;

  @Column({ name: 'fx_rate', type: 'jsonb' })
  fxRate!: FxRateUsedV1;

  @Column({ name: 'usd_rate', type: 'jsonb' })
  usdRate!: FxRateUsedV1;

  @Column({ type: 'jsonb' })
  lines!: ExportLineV1[];

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

/** A return or return-to-origin of an export: its lines with negative quantities and values, at the export's rates. */
@Entity({ name: 'export_adjustments' })
export class ExportAdjustment {
  @PrimaryColumn({ name: 'adjustment_id', type: 'uuid' })
  adjustmentId!: string;

  @Column({ name: 'export_id', type: 'uuid' })
  exportId!: string;

  @Column({ type: 'text' })
  reason!: 'return' | 'return-to-origin';

  @Column({ name: 'source_event_id', type: 'text' })
  sourceEventId!: string;

  @Column({ name: 'adjustment_date', type: 'date' })
  adjustmentDate!: string;

  @Column({ name: 'value_minor', type: 'bigint', transformer: minor })
  valueMinor!: number;

  @Column({ name: 'value_usd_minor', type: 'bigint', transformer: minor })
  valueUsdMinor!: number;

  @Column({ name: 'value_inr_minor', type: 'bigint', transformer: minor })
  valueInrMinor!: number;

  @Column({ type: 'jsonb' })
  lines!: ExportLineV1[];

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

export const NAIVE_ENTITIES = [ProcessedEvent, MarketplaceAccount, SellerDirectoryEntry, FxRateEntry, Order, OrderEvent, ExportRecord, ExportAdjustment];

export { ProcessedEvent };
