import { IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import { TimestampField } from '../reference/field-rules';
import { GST_STATE_CODES } from '../reference/indian-states';
import { PROGRAMME_ID_PATTERN } from '../reference/marketplaces';
import { Topics } from '../topics';
import { IsIn } from 'class-validator';

/**
 * Money in reporting payloads: integer minor units as a decimal string, any size Postgres's bigint
 * holds (totals may pass 2^53, where JSON numbers stop being exact).
 */
const MINOR_UNITS = /^-?(0|[1-9][0-9]{0,18})$/;
const NON_NEGATIVE_MINOR_UNITS = /^(0|[1-9][0-9]{0,18})$/;
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A programme id, or `*` for the row that counts every programme once. */
const PROGRAMME_OR_ALL = new RegExp(`^(\\*|${PROGRAMME_ID_PATTERN.source.slice(1, -1)})$`);

/**
 * Reporting topics are compacted and keyed by view key: each record is the row's new absolute
 * value, so a consumer needs only the latest record per key. No personal data: counts and sums.
 */
export class ExportTotalsV2 {
  @Matches(PROGRAMME_OR_ALL)
  programme!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  /** The month the goods shipped, YYYY-MM. */
  @Matches(MONTH_PATTERN)
  month!: string;

  @Matches(MINOR_UNITS)
  valueUsdMinor!: string;

  @Matches(MINOR_UNITS)
  valueInrMinor!: string;

  @IsInt()
  @Min(0)
  orders!: number;

  @IsInt()
  @Min(0)
  exportingSellers!: number;

  @IsInt()
  @Min(0)
  returns!: number;

  @Matches(NON_NEGATIVE_MINOR_UNITS)
  returnsUsdMinor!: string;

  @Matches(NON_NEGATIVE_MINOR_UNITS)
  returnsInrMinor!: string;

  /** When the row took this value. */
  @TimestampField()
  asOf!: string;
}

export class SellerFunnelV1 {
  @Matches(PROGRAMME_ID_PATTERN)
  programme!: string;

  @IsIn(GST_STATE_CODES)
  stateCode!: string;

  @IsInt()
  @Min(0)
  registered!: number;

  @IsInt()
  @Min(0)
  approved!: number;

  @IsInt()
  @Min(0)
  enrolled!: number;

  @IsInt()
  @Min(0)
  exporting!: number;

  @TimestampField()
  asOf!: string;
}

export class ProgrammeProgressV2 {
  @Matches(PROGRAMME_ID_PATTERN)
  programme!: string;

  /** All recorded export value of the programme, in US cents. */
  @Matches(MINOR_UNITS)
  cumulativeUsdMinor!: string;

  /** Milestone steps first crossed so far (e.g. 2 = the second USD 1 bn). */
  @IsInt()
  @Min(0)
  milestonesCrossed!: number;

  @IsString()
  @MaxLength(200)
  name!: string;

  @TimestampField()
  asOf!: string;
}

function reportingEvent<P extends object>(type: string, topic: (typeof Topics)[keyof typeof Topics], payload: PayloadClass<P>, keyOf: (p: P) => string) {
  return defineEvent<P>({ type, payload, topic, keyOf, subjectOf: keyOf });
}

export const exportTotalsKey = (p: Pick<ExportTotalsV2, 'programme' | 'stateCode' | 'month'>) => `${p.programme}|${p.stateCode}|${p.month}`;
export const sellerFunnelKey = (p: Pick<SellerFunnelV1, 'programme' | 'stateCode'>) => `${p.programme}|${p.stateCode}`;

export const ExportTotalsChanged = reportingEvent('niryat.reporting.export-totals.v2', Topics.reportingExportTotals, ExportTotalsV2, exportTotalsKey);
export const SellerFunnelChanged = reportingEvent('niryat.reporting.seller-funnel.v1', Topics.reportingSellerFunnel, SellerFunnelV1, sellerFunnelKey);
export const ProgrammeProgressChanged = reportingEvent('niryat.reporting.programme-progress.v2', Topics.reportingProgrammeProgress, ProgrammeProgressV2, (p) => p.programme);

export const REPORTING_EVENTS = [ExportTotalsChanged, SellerFunnelChanged, ProgrammeProgressChanged];
