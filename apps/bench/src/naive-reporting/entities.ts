import type { Marketplace } from '@niryat/contracts';
import { ProcessedEvent } from '@niryat/testing';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * TypeORM entities of the naive reporting, mapped onto the reporting service's OWN tables, created
 * by its real migrations (apps/reporting/src/database/migrations; no `synchronize`), so the naive
 * and the real service write the same rows into the same layout, keys and fill factor, and their
 * export_totals compare row for row. Only the columns the naive reporting reads or writes are
 * mapped; the others keep their defaults.
 */

/** Postgres bigint arrives as a string; totals pass 2^53, so they are bigint here. */
const bigintMinor = { to: (value: bigint) => value.toString(), from: (value: string) => BigInt(value) };

/** The exports and adjustments already counted, by business id (the same export re-sent as a new event counts once). */
@Entity({ name: 'export_facts_applied' })
export class AppliedExportFact {
  @PrimaryColumn({ type: 'text' })
  kind!: 'recorded' | 'adjusted';

  @PrimaryColumn({ name: 'fact_id', type: 'uuid' })
  factId!: string;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;
}

/** The programme catalogue as reporting holds it (filled by the real service from onboarding's programme topic). */
@Entity({ name: 'progress_programmes' })
export class CatalogueProgramme {
  @PrimaryColumn({ type: 'text' })
  programme!: string;

  /** Null on rows from before marketplaces were kept: not known to attribution. */
  @Column({ type: 'text', array: true, nullable: true })
  marketplaces!: Marketplace[] | null;
}

/** Exports of a programme the catalogue did not know, set aside until its definition arrives. */
@Entity({ name: 'export_attribution_pending' })
export class PendingAttribution {
  @PrimaryColumn({ type: 'text' })
  programme!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: 'recorded' | 'adjusted';

  @PrimaryColumn({ name: 'fact_id', type: 'uuid' })
  factId!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ name: 'set_aside_at', type: 'timestamptz' })
  setAsideAt!: Date;
}

/** Export totals per programme (or '*') × GST state × month (its first day). */
@Entity({ name: 'export_totals' })
export class ExportTotalsRow {
  @PrimaryColumn({ type: 'text' })
  programme!: string;

  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 })
  stateCode!: string;

  @PrimaryColumn({ type: 'date' })
  month!: string;

  @Column({ name: 'value_usd_minor', type: 'bigint', transformer: bigintMinor })
  valueUsdMinor!: bigint;

  @Column({ name: 'value_inr_minor', type: 'bigint', transformer: bigintMinor })
  valueInrMinor!: bigint;

  @Column({ type: 'integer' })
  orders!: number;

  @Column({ name: 'exporting_sellers', type: 'integer' })
  exportingSellers!: number;

  @Column({ type: 'integer' })
  returns!: number;

  @Column({ name: 'returns_usd_minor', type: 'bigint', transformer: bigintMinor })
  returnsUsdMinor!: bigint;

  @Column({ name: 'returns_inr_minor', type: 'bigint', transformer: bigintMinor })
  returnsInrMinor!: bigint;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Who exported in a row: a seller counts once per programme × state × month. */
@Entity({ name: 'exporting_seller_months' })
export class ExportingSellerMonth {
  @PrimaryColumn({ type: 'text' })
  programme!: string;

  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 })
  stateCode!: string;

  @PrimaryColumn({ type: 'date' })
  month!: string;

  @PrimaryColumn({ name: 'seller_id', type: 'uuid' })
  sellerId!: string;
}

export const NAIVE_REPORTING_ENTITIES = [ProcessedEvent, AppliedExportFact, CatalogueProgramme, PendingAttribution, ExportTotalsRow, ExportingSellerMonth];

export { ProcessedEvent };
