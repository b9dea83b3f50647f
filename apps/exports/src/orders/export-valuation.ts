import type { ExportLineV1, FxRateUsedV1 } from '@niryat/contracts';
import { convertMinor, FxRate, RECORDED_VALUE_ROUNDING, rateOn, sumMinor } from '@niryat/money';
import { HistoryLine } from './order-history';

export interface Valuation {
  lines: ExportLineV1[];
  valueMinor: number;
  valueUsdMinor: number;
  valueInrMinor: number;
  fxRate: FxRateUsedV1;
  usdRate: FxRateUsedV1;
}

/** Amounts travel as JSON numbers: refuse, loudly, one past 2^53 rather than lose a paisa. */
function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${value} exceeds the safe integer range`);
  return Number(value);
}

/** Export values are recorded with banker's rounding, once per line; totals are sums of recorded lines. */
const ROUNDING = RECORDED_VALUE_ROUNDING;
/** The reference rates for a currency and for USD on a day, or which one is missing. */
export function ratesOn(rates: readonly FxRate[], currency: string, date: string): { fxRate: FxRateUsedV1; usdRate: FxRateUsedV1 } | { missing: string } {
  // rateOn answers INR at 1 and returns a fresh object, as recorded with the export.
  const fxRate = rateOn(rates, currency, date);
  if (!fxRate) return { missing: currency };
  const usdRate = rateOn(rates, 'USD', date);
  if (!usdRate) return { missing: 'USD' };
  return { fxRate, usdRate };
}

/**
 * Values lines (quantity × unit price, in the order's currency) in USD and INR at the given rates.
 * `sign` is -1 for returns, which are valued exactly as the shipment was and negated, so a whole
 * return cancels the export to the last paisa and cent.
 */
export function valueLines(
  lines: readonly { lineId: string; quantity: number }[],
  shipped: readonly HistoryLine[],
  currency: string,
  rates: { fxRate: FxRateUsedV1; usdRate: FxRateUsedV1 },
  sign: 1 | -1 = 1,
): Valuation {
  const byId = new Map(shipped.map((l) => [l.lineId, l]));
  const valued = lines.map(({ lineId, quantity }) => {
    const line = byId.get(lineId);
    if (!line || line.unitPriceMinor === undefined || !line.hsCode) throw new Error(`line ${lineId} has no shipped price`);
    const amount = BigInt(quantity) * BigInt(line.unitPriceMinor);
    const convert = (to: string, toInrPerUnit: string): bigint =>
      convertMinor({ amountMinor: amount, from: currency, to, fromInrPerUnit: rates.fxRate.inrPerUnit, toInrPerUnit, rounding: ROUNDING });
    return {
      lineId,
      hsCode: line.hsCode,
      quantity: sign * quantity,
      valueMinor: sign * safeNumber(amount),
      valueUsdMinor: sign * safeNumber(convert('USD', rates.usdRate.inrPerUnit)),
      valueInrMinor: sign * safeNumber(convert('INR', '1')),
    };
  });
  const sum = (pick: (l: ExportLineV1) => number) => safeNumber(sumMinor(valued.map((l) => BigInt(pick(l)))));
  return {
    lines: valued,
    valueMinor: sum((l) => l.valueMinor),
    valueUsdMinor: sum((l) => l.valueUsdMinor),
    valueInrMinor: sum((l) => l.valueInrMinor),
    ...rates,
  };
}
