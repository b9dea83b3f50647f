import type { ExportFactsV1, Marketplace } from '@niryat/contracts';

/**
 * What one ExportRecorded / ExportAdjusted does to reporting's `export_totals`, written again from
 * reporting's rules (apps/reporting/src: attribution/programme-attribution.ts, export-totals/
 * export-totals.fold.ts) because a bench may not import a service. naive-reporting.int-spec.ts holds
 * the naive reporting to the real service's rows on one stream, so the two cannot drift apart.
 */

/** The programme of the all-programme rows, where a seller enrolled in several programmes counts once. */
export const ALL_PROGRAMMES = '*';

export type ExportFactKind = 'recorded' | 'adjusted';

/** The marketplaces of a programme the catalogue holds (with marketplaces), or undefined when it does not know it. */
export type CatalogueLookup = (programme: string) => readonly Marketplace[] | undefined;

export interface Attribution {
  /** The programmes the export counts in, each once, in byte order. */
  programmes: string[];
  /** Programmes the catalogue does not know: reporting counts the export in '*' now and sets it aside for them. */
  unknown: string[];
}

/** A row of export_totals: programme (or '*'), state, first day of the shipment month. */
export interface ExportCell {
  programme: string;
  stateCode: string;
  month: string;
}

/** The change of one export_totals row; exporting sellers are counted apart (only the database knows who is new). */
export interface CellChange extends ExportCell {
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
  orders: number;
  returns: number;
  returnsUsdMinor: bigint;
  returnsInrMinor: bigint;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Where an export counts: in a programme the seller was enrolled in on the shipment day (the
 * payload's `programmes`) whose marketplaces include the order's; a programme the catalogue does
 * not know is named, never dropped. Adjustments carry their export's fields and count alike.
 */
export function attribute(exported: Pick<ExportFactsV1, 'partner' | 'programmes'>, catalogue: CatalogueLookup): Attribution {
  const programmes: string[] = [];
  const unknown: string[] = [];
  for (const programme of new Set(exported.programmes)) {
    const marketplaces = catalogue(programme);
    if (marketplaces === undefined) unknown.push(programme);
    else if (marketplaces.includes(exported.partner)) programmes.push(programme);
  }
  return { programmes: programmes.sort(byteOrder), unknown: unknown.sort(byteOrder) };
}

/** The first day of the month of a calendar day `YYYY-MM-DD`. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The business id of a fact (the export, or the adjustment), lower case as Postgres returns a uuid. */
export function factIdOf(kind: ExportFactKind, payload: ExportFactsV1 & { adjustmentId?: string }): string {
  return (kind === 'recorded' ? payload.exportId : (payload.adjustmentId as string)).toLowerCase();
}

/**
 * The rows one fact changes, in its attributed programmes and once in '*', all in the month the
 * goods left India (an adjustment too, whenever the return happened). Recorded: + value, + 1
 * order. Adjusted: the negative values added as they are, + 1 return, returns_* + their absolute
 * value; orders do not move.
 */
export function cellChanges(kind: ExportFactKind, payload: ExportFactsV1, programmes: readonly string[]): CellChange[] {
  const usd = BigInt(payload.valueUsdMinor);
  const inr = BigInt(payload.valueInrMinor);
  const recorded = kind === 'recorded';
  const abs = (value: bigint) => (value < 0n ? -value : value);
  return [...programmes, ALL_PROGRAMMES].map((programme) => ({
    programme,
    stateCode: payload.stateCode,
    month: monthOf(payload.shipmentDate),
    valueUsdMinor: usd,
    valueInrMinor: inr,
    orders: recorded ? 1 : 0,
    returns: recorded ? 0 : 1,
    returnsUsdMinor: recorded ? 0n : abs(usd),
    returnsInrMinor: recorded ? 0n : abs(inr),
  }));
}

/** The totals of a row, as export_totals holds them. */
export interface CellTotals {
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
  orders: number;
  exportingSellers: number;
  returns: number;
  returnsUsdMinor: bigint;
  returnsInrMinor: bigint;
}

/** The row's totals after the change, with one more exporting seller when the fact's seller is new to the row. */
export function applyChange(totals: CellTotals, change: CellChange, newSeller: boolean): CellTotals {
  return {
    valueUsdMinor: totals.valueUsdMinor + change.valueUsdMinor,
    valueInrMinor: totals.valueInrMinor + change.valueInrMinor,
    orders: totals.orders + change.orders,
    exportingSellers: totals.exportingSellers + (newSeller ? 1 : 0),
    returns: totals.returns + change.returns,
    returnsUsdMinor: totals.returnsUsdMinor + change.returnsUsdMinor,
    returnsInrMinor: totals.returnsInrMinor + change.returnsInrMinor,
  };
}
