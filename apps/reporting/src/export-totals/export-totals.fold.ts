import { ExportAdjustedV1, ExportRecordedV1 } from '@niryat/contracts';
import type { AttributedFact } from '../attribution/export-attribution';

/** The programme of the all-programme rows, where a seller enrolled in several programmes counts once. */
export const ALL_PROGRAMMES = '*';

/** An event the export views apply: a recognised export, or a correction of one. */
export type ExportFact = { kind: 'recorded'; payload: ExportRecordedV1 } | { kind: 'adjusted'; payload: ExportAdjustedV1 };

/** A row key of the views: programme id (or '*'), GST state code, first day of the month (YYYY-MM-01). */
export interface ExportCell {
  programme: string;
  stateCode: string;
  month: string;
}

export interface ExportTotalsDelta extends ExportCell {
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
  orders: number;
  returns: number;
  returnsUsdMinor: bigint;
  returnsInrMinor: bigint;
}

export interface DestinationDelta extends ExportCell {
  destinationCountry: string;
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
  orders: number;
}

export interface HsChapterDelta extends ExportCell {
  hsChapter: string;
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
}

export interface SellerMonth extends ExportCell {
  sellerId: string;
}

/** A seller's net exports under one programme (not '*'): what the training impact view compares. */
export interface SellerProgrammeDelta {
  sellerId: string;
  programme: string;
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
  orders: number;
}

/**
 * A batch folded per view key, one entry per row to touch (a multi-row upsert cannot touch one row
 * twice). Totals deltas carry no exporting sellers: only the database knows whether a seller is
 * new to a cell, so the projection inserts `sellerMonths` and counts the ones that were new.
 */
export interface ExportTotalsFold {
  totals: Map<string, ExportTotalsDelta>;
  byDestination: Map<string, DestinationDelta>;
  byHsChapter: Map<string, HsChapterDelta>;
  sellerMonths: Map<string, SellerMonth>;
  bySeller: Map<string, SellerProgrammeDelta>;
}

/** The first day of the month of a calendar day `YYYY-MM-DD`. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** HS chapter: the first two digits of an ITC-HS code. */
export function hsChapterOf(hsCode: string): string {
  return hsCode.slice(0, 2);
}

/** The business id of a fact: the export for a recorded one, the adjustment for a correction. */
export function factIdOf(fact: ExportFact): string {
  // Lower case, as Postgres returns a uuid: an upper-case id in a payload must still match its row.
  return (fact.kind === 'recorded' ? fact.payload.exportId : fact.payload.adjustmentId).toLowerCase();
}

/** The facts of a batch with each business id once, the first copy kept (the same export re-sent as a new event). */
export function uniqueFacts(facts: readonly ExportFact[]): ExportFact[] {
  const byId = new Map<string, ExportFact>();
  for (const fact of facts) {
    const key = `${fact.kind}:${factIdOf(fact)}`;
    if (!byId.has(key)) byId.set(key, fact);
  }
  return [...byId.values()];
}

export function cellKey({ programme, stateCode, month }: ExportCell): string {
  return `${programme}|${stateCode}|${month}`;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/**
 * Folds a batch of export facts (already deduplicated) into per-row deltas. Rules:
 *
 * - Month: the shipment month (`shipmentDate`, the day the goods left India) for recorded exports
 *   AND for adjustments. A return corrects the value of the month the goods left, not the month
 *   of the return (`adjustmentDate`), so a month's value is what was finally exported in it and a
 *   late event, whenever it arrives, lands in the month it belongs to.
 * - Programmes: where attribution says (`attributeExport`: enrolled on the shipment day and sold
 *   through one of the programme's marketplaces), and once in '*' (unless `countsInAll` is false:
 *   a set-aside export released to a programme defined late, which '*' has counted already).
 * - Recorded: +value (USD and INR), +1 order; the seller is a candidate exporting seller of the
 *   cell (counted only if new to it, by the projection).
 * - Adjusted: the values arrive negative and are added as they are (value falls); +1 return and
 *   returns_* += the absolute value. Orders and exporting sellers do not move: the order existed,
 *   and a seller who exported in a month stays one who exported in it.
 * - Breakdowns: destination per export (value and orders, same rules); HS chapter per line (the
 *   line's own values, negative for returned lines).
 * - Per seller × programme (not '*'): net value and orders, same rules, for the training impact view.
 */
export function foldExports(facts: readonly AttributedFact[]): ExportTotalsFold {
  const fold: ExportTotalsFold = { totals: new Map(), byDestination: new Map(), byHsChapter: new Map(), sellerMonths: new Map(), bySeller: new Map() };
  for (const { fact, programmes, countsInAll } of facts) {
    const { payload } = fact;
    const recorded = fact.kind === 'recorded';
    const month = monthOf(payload.shipmentDate);
    const { stateCode, sellerId, destinationCountry } = payload;
    const usd = BigInt(payload.valueUsdMinor);
    const inr = BigInt(payload.valueInrMinor);
    const lines = payload.lines.map((line) => ({ hsChapter: hsChapterOf(line.hsCode), usd: BigInt(line.valueUsdMinor), inr: BigInt(line.valueInrMinor) }));
    for (const programme of countsInAll ? [...programmes, ALL_PROGRAMMES] : programmes) {
      const key = cellKey({ programme, stateCode, month });

      const totals = entry(fold.totals, key, () => ({
        programme,
        stateCode,
        month,
        valueUsdMinor: 0n,
        valueInrMinor: 0n,
        orders: 0,
        returns: 0,
        returnsUsdMinor: 0n,
        returnsInrMinor: 0n,
      }));
      totals.valueUsdMinor += usd;
      totals.valueInrMinor += inr;
      if (recorded) {
        totals.orders += 1;
      } else {
        totals.returns += 1;
        totals.returnsUsdMinor += abs(usd);
        totals.returnsInrMinor += abs(inr);
      }

      const destination = entry(fold.byDestination, `${key}|${destinationCountry}`, () => ({
        programme,
        stateCode,
        month,
        destinationCountry,
        valueUsdMinor: 0n,
        valueInrMinor: 0n,
        orders: 0,
      }));
      destination.valueUsdMinor += usd;
      destination.valueInrMinor += inr;
      if (recorded) destination.orders += 1;

      for (const line of lines) {
        const chapter = entry(fold.byHsChapter, `${key}|${line.hsChapter}`, () => ({
          programme,
          stateCode,
          month,
          hsChapter: line.hsChapter,
          valueUsdMinor: 0n,
          valueInrMinor: 0n,
        }));
        chapter.valueUsdMinor += line.usd;
        chapter.valueInrMinor += line.inr;
      }

      if (recorded) entry(fold.sellerMonths, `${key}|${sellerId}`, () => ({ programme, stateCode, month, sellerId }));

      if (programme !== ALL_PROGRAMMES) {
        const seller = entry(fold.bySeller, `${sellerId}|${programme}`, () => ({ sellerId, programme, valueUsdMinor: 0n, valueInrMinor: 0n, orders: 0 }));
        seller.valueUsdMinor += usd;
        seller.valueInrMinor += inr;
        if (recorded) seller.orders += 1;
      }
    }
  }
  return fold;
}

/** The map's value for the key, created (and stored) on first use: one lookup when it is there. */
function entry<V>(map: Map<string, V>, key: string, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}
