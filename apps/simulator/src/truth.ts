import { MINOR_DIGITS, OrderLine, PlannedOrder } from './orders';
import { indianDay, World } from './world';

/**
 * The ground truth of what the simulator sent, in its own arithmetic (nothing of the services' folds
 * or money library): what each report row must say once every event has been applied.
 */

export interface FxRateRow {
  currency: string;
  effectiveFrom: string;
  inrPerUnit: string;
}

/** `'83.2450'` → 832450 / 10^4. */
function decimal(text: string): { units: bigint; scale: bigint } {
  const [whole, fraction = ''] = text.split('.');
  return { units: BigInt(`${whole}${fraction}`), scale: BigInt(fraction.length) };
}

/** numerator / denominator, rounded half to even (banker's rounding), for either sign. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const twice = 2n * (n % denominator);
  if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** An amount in `from`'s minor units, in `to`'s minor units, through both currencies' rupee rates. */
export function convertMinor(amountMinor: bigint, from: string, to: string, fromInrPerUnit: string, toInrPerUnit: string): bigint {
  const a = decimal(fromInrPerUnit);
  const b = decimal(toInrPerUnit);
  const numerator = amountMinor * a.units * 10n ** (b.scale + BigInt(MINOR_DIGITS[to]));
  const denominator = b.units * 10n ** (a.scale + BigInt(MINOR_DIGITS[from]));
  return divideHalfEven(numerator, denominator);
}

/** The rate in force on a day: the latest that took effect on or before it (INR is 1). */
export function rateOn(rates: readonly FxRateRow[], currency: string, day: string): string | undefined {
  if (currency === 'INR') return '1';
  let found: FxRateRow | undefined;
  for (const r of rates) if (r.currency === currency && r.effectiveFrom <= day && (!found || r.effectiveFrom > found.effectiveFrom)) found = r;
  return found?.inrPerUnit;
}

/** A report row as the API and the topic give it: money as strings of minor units. */
export interface TotalsRow {
  programme: string;
  stateCode: string;
  month: string;
  valueUsdMinor: string;
  valueInrMinor: string;
  orders: number;
  exportingSellers: number;
  returns: number;
  returnsUsdMinor: string;
  returnsInrMinor: string;
}

interface Cell {
  usd: bigint;
  inr: bigint;
  orders: number;
  sellers: Set<number>;
  returns: number;
  returnsUsd: bigint;
  returnsInr: bigint;
}

export class GroundTruth {
  private readonly cells = new Map<string, Cell>();
  /** Net US cents per `programme|shipment day`: what programme progress and its milestones add up. */
  private readonly days = new Map<string, bigint>();
  /** The sellers (by index) with at least one export counted in each programme. */
  private readonly exporters = new Map<string, Set<number>>();
  /** Orders whose whole history the platform must accept and count. */
  ordersCounted = 0;

  constructor(
    private readonly world: World,
    private readonly rates: readonly FxRateRow[],
  ) {}

  /** The programmes an export counts in: enrolled on its shipment day, sold through one of the programme's marketplaces. */
  programmesOf(order: PlannedOrder, shipmentDay: string): string[] {
    const seller = this.world.sellers[order.sellerIndex];
    return this.world.programmes
      .filter((p) => p.marketplaces.includes(order.partner))
      .filter((p) => seller.enrolments.some((e) => e.programmeId === p.id && e.since <= shipmentDay))
      .map((p) => p.id);
  }

  /** Counts one order's whole history (in sequence order, whatever order it arrives in). */
  add(order: PlannedOrder): void {
    this.ordersCounted++;
    const events = [...order.events].sort((a, b) => a.payload.sequence - b.payload.sequence);
    const shipment = events.find((e) => e.kind === 'shipped');
    if (!shipment) return;
    const day = shipment.payload.shippingBillDate ?? indianDay(Date.parse(shipment.payload.occurredAt));
    const { currency } = shipment.payload;
    const rate = rateOn(this.rates, currency, day);
    const usdRate = rateOn(this.rates, 'USD', day);
    if (rate === undefined || usdRate === undefined) throw new Error(`no ${rate === undefined ? currency : 'USD'} rate in force on ${day}: the simulator loads rates before it sends orders`);
    const shipped = shipment.payload.lines as OrderLine[];
    const value = (lines: readonly { lineId: string; quantity: number }[]) => {
      let usd = 0n;
      let inr = 0n;
      for (const { lineId, quantity } of lines) {
        const line = shipped.find((l) => l.lineId === lineId) as OrderLine;
        const amount = BigInt(quantity) * BigInt(line.unitPriceMinor);
        // One rounding per line, each currency from the original amount.
        usd += convertMinor(amount, currency, 'USD', rate, usdRate);
        inr += convertMinor(amount, currency, 'INR', rate, '1');
      }
      return { usd, inr };
    };
    const exported = value(shipped);
    const left = new Map(shipped.map((l) => [l.lineId, l.quantity]));
    const adjustments: { usd: bigint; inr: bigint }[] = [];
    for (const e of events.filter((x) => x.payload.sequence > shipment.payload.sequence)) {
      if (e.kind === 'returned') {
        const lines = e.payload.lines as { lineId: string; quantity: number }[];
        for (const l of lines) left.set(l.lineId, (left.get(l.lineId) ?? 0) - l.quantity);
        adjustments.push(value(lines));
      } else if (e.kind === 'returned-to-origin') {
        const lines = [...left].filter(([, q]) => q > 0).map(([lineId, quantity]) => ({ lineId, quantity }));
        for (const l of lines) left.set(l.lineId, 0);
        if (lines.length > 0) adjustments.push(value(lines));
      }
    }
    const month = day.slice(0, 7);
    const seller = this.world.sellers[order.sellerIndex];
    for (const programme of this.programmesOf(order, day)) {
      const key = `${programme}|${seller.stateCode}|${month}`;
      const cell = this.cells.get(key) ?? { usd: 0n, inr: 0n, orders: 0, sellers: new Set<number>(), returns: 0, returnsUsd: 0n, returnsInr: 0n };
      cell.usd += exported.usd;
      cell.inr += exported.inr;
      cell.orders += 1;
      cell.sellers.add(seller.index);
      // A return lands on the shipment day of its goods, not the day it came back.
      let net = exported.usd;
      for (const a of adjustments) {
        cell.usd -= a.usd;
        cell.inr -= a.inr;
        cell.returns += 1;
        cell.returnsUsd += a.usd;
        cell.returnsInr += a.inr;
        net -= a.usd;
      }
      this.cells.set(key, cell);
      this.days.set(`${programme}|${day}`, (this.days.get(`${programme}|${day}`) ?? 0n) + net);
      this.exporters.set(programme, (this.exporters.get(programme) ?? new Set<number>()).add(seller.index));
    }
  }

  /** A programme's net US cents per shipment day, by day: a day with an export is there even when its returns cancel it. */
  dailyUsdMinor(programme: string): { day: string; usdMinor: bigint }[] {
    return [...this.days]
      .filter(([key]) => key.slice(0, key.lastIndexOf('|')) === programme)
      .map(([key, usdMinor]) => ({ day: key.slice(key.lastIndexOf('|') + 1), usdMinor }))
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }

  /** The sellers (by index) with at least one export counted in a programme, whatever came back later. */
  exportingSellers(programme: string): ReadonlySet<number> {
    return this.exporters.get(programme) ?? new Set<number>();
  }

  /** Every row of this world's programmes, by programme, state and month. */
  rows(): TotalsRow[] {
    return [...this.cells]
      .map(([key, c]) => {
        const [programme, stateCode, month] = key.split('|');
        return {
          programme,
          stateCode,
          month,
          valueUsdMinor: c.usd.toString(),
          valueInrMinor: c.inr.toString(),
          orders: c.orders,
          exportingSellers: c.sellers.size,
          returns: c.returns,
          returnsUsdMinor: c.returnsUsd.toString(),
          returnsInrMinor: c.returnsInr.toString(),
        };
      })
      .sort(byKey);
  }
}

export const rowKey = (r: { programme: string; stateCode: string; month: string }) => `${r.programme}|${r.stateCode}|${r.month}`;
export const byKey = (a: TotalsRow, b: TotalsRow) => (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0);
