import { Random } from './random';
import { indianDay, Marketplace, SimAccount, SimSeller, World } from './world';

/** What each product sells for (US dollars a unit) and in what quantities per line. */
const PRICING: Record<string, { usd: [number, number]; quantity: [number, number]; skus: string[] }> = {
  '74198030': { usd: [14, 95], quantity: [2, 24], skus: ['VASE-12IN', 'DIYA-SET4', 'URLI-BOWL', 'CANDLE-STAND'] },
  '57011010': { usd: [240, 1650], quantity: [1, 3], skus: ['KNOT-5X8', 'KNOT-4X6', 'KNOT-8X10'] },
  '64039990': { usd: [38, 92], quantity: [2, 30], skus: ['OXFORD-9', 'LOAFER-8', 'BROGUE-10', 'CHELSEA-9'] },
  '50072010': { usd: [60, 420], quantity: [1, 12], skus: ['BANARASI-RED', 'BANARASI-GOLD', 'KATAN-BLUE'] },
  '44209090': { usd: [9, 180], quantity: [2, 40], skus: ['BOX-CARVED', 'PANEL-JALI', 'ELEPHANT-12IN'] },
  '70139900': { usd: [6, 48], quantity: [12, 240], skus: ['BANGLE-SET', 'TUMBLER-6', 'LAMP-SHADE'] },
  '63049190': { usd: [11, 68], quantity: [6, 120], skus: ['CUSHION-SET5', 'BEDSPREAD-Q', 'THROW-COTTON'] },
  '69139000': { usd: [12, 80], quantity: [2, 36], skus: ['BOWL-SET3', 'PLATTER-12IN', 'KNOB-SET10'] },
  '61091000': { usd: [4, 13], quantity: [40, 600], skus: ['CREW-WHT-M', 'CREW-NVY-L', 'POLO-GRY-XL'] },
  '09041130': { usd: [8, 22], quantity: [10, 400], skus: ['PEPPER-500G', 'PEPPER-1KG', 'PEPPER-TIN'] },
  '63079090': { usd: [7, 95], quantity: [4, 80], skus: ['TORAN-MIRROR', 'WALLHANG-KUTCH', 'BAG-EMBROIDERED'] },
  '42022190': { usd: [25, 160], quantity: [2, 40], skus: ['TOTE-TAN', 'SATCHEL-BRN', 'CLUTCH-BLK'] },
};

/** Where each marketplace's cross-border buyers are, with weights. */
const DESTINATIONS: Record<Marketplace, readonly (readonly [string, number])[]> = {
  amazon: [['US', 40], ['GB', 14], ['DE', 10], ['AE', 10], ['CA', 8], ['AU', 7], ['SG', 6], ['JP', 5]],
  flipkart: [['US', 70], ['CA', 15], ['GB', 10], ['AE', 5]],
  walmart: [['US', 75], ['CA', 15], ['GB', 10]],
};
export const CURRENCY_OF: Record<string, string> = { US: 'USD', GB: 'GBP', DE: 'EUR', AE: 'AED', CA: 'CAD', AU: 'AUD', SG: 'SGD', JP: 'JPY' };
/** Digits after the point of each currency's minor unit. */
export const MINOR_DIGITS: Record<string, number> = { USD: 2, GBP: 2, EUR: 2, AED: 2, CAD: 2, AUD: 2, SGD: 2, JPY: 0, INR: 2 };
/** Rough units per US dollar, for list prices in the buyer's currency (the platform values them at its reference rates). */
const PER_USD: Record<string, number> = { USD: 1, GBP: 0.76, EUR: 0.86, AED: 3.6725, CAD: 1.4, AUD: 1.53, SGD: 1.3, JPY: 154 };

export type OrderEventKind = 'placed' | 'shipped' | 'customs-cleared' | 'delivered' | 'cancelled' | 'returned' | 'returned-to-origin';

export interface OrderLine {
  lineId: string;
  sku: string;
  hsCode: string;
  quantity: number;
  unitPriceMinor: number;
}

/** One partner event as the marketplace sends it: the payload of `niryat.partner.order.<kind>.v1`. */
export interface PlannedEvent {
  kind: OrderEventKind;
  payload: {
    eventId: string;
    orderId: string;
    sequence: number;
    occurredAt: string;
    sellerAccountId: string;
    destinationCountry: string;
    currency: string;
    lines?: OrderLine[] | { lineId: string; quantity: number }[];
    shippingBillNumber?: string;
    shippingBillDate?: string;
    reason?: string;
  };
}

export interface PlannedOrder {
  partner: Marketplace;
  orderId: string;
  sellerIndex: number;
  account: SimAccount;
  events: PlannedEvent[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const IST_MS = 330 * 60_000;

/** An instant close to midnight in India at a month's end: the last minute of its last day, or the first of the next. */
function nearMonthEndMidnight(random: Random, around: number): number {
  const ist = new Date(around + IST_MS);
  const firstOfNext = Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth() + 1, 1) - IST_MS; // 00:00 IST on the 1st
  return firstOfNext + (random.chance(0.5) ? -random.int(1, 59) * 1000 : random.int(0, 59) * 1000);
}

/**
 * The orders of a world, each a possible history in sequence order: placed, then cancelled before
 * shipping, or shipped (sometimes at midnight IST at a month's end), cleared and delivered, maybe
 * partly returned (once or twice), or sent back to origin. Every instant lies in the window.
 */
export function planOrders(world: World, count: number, seed: number, firstIndex = 0): PlannedOrder[] {
  const accounts = world.sellers.flatMap((seller) => seller.accounts.map((account) => ({ seller, account })));
  if (accounts.length === 0) throw new Error('the world has no marketplace accounts to order from');
  const from = Date.parse(`${world.window.from}T00:00:00+05:30`);
  const to = Date.parse(`${world.window.to}T23:59:00+05:30`);
  const orders: PlannedOrder[] = [];
  for (let n = firstIndex; n < firstIndex + count; n++) {
    const random = new Random(seed).fork(`order:${n}`);
    const { seller, account } = random.pick(accounts);
    orders.push(planOrder(random, world, seller, account, n, from, to));
  }
  return orders;
}

function planOrder(random: Random, world: World, seller: SimSeller, account: SimAccount, n: number, from: number, to: number): PlannedOrder {
  const partner = account.marketplace;
  const orderId = `SIM-${world.tag.toUpperCase()}-${String(n + 1).padStart(7, '0')}`;
  const destinationCountry = random.weighted(DESTINATIONS[partner]);
  const currency = CURRENCY_OF[destinationCountry];
  const pricing = PRICING[seller.hsCode];
  const lines: OrderLine[] = Array.from({ length: random.weighted([[1, 50], [2, 30], [3, 15], [4, 5]] as const) }, (_, i) => {
    const usd = random.int(pricing.usd[0] * 100, pricing.usd[1] * 100) / 100;
    const unitPriceMinor = Math.max(1, Math.round(usd * PER_USD[currency] * 10 ** MINOR_DIGITS[currency]));
    return { lineId: `L${i + 1}`, sku: `${seller.hsCode.slice(0, 4)}-${random.pick(pricing.skus)}`, hsCode: seller.hsCode, quantity: random.int(pricing.quantity[0], pricing.quantity[1]), unitPriceMinor };
  });

  const steps: { kind: OrderEventKind; at: number; extra?: Partial<PlannedEvent['payload']> }[] = [];
  // Room for the lifecycle after it: up to 12 days, never past the window's end.
  let at = from + Math.floor(random.next() * Math.max(1, to - from - 12 * DAY_MS));
  steps.push({ kind: 'placed', at, extra: { lines } });
  if (random.chance(0.08)) {
    steps.push({ kind: 'cancelled', at: (at += random.int(1, 20) * HOUR_MS), extra: { reason: random.pick(['Buyer cancelled before dispatch', 'Payment not confirmed', 'Out of stock at the seller']) } });
  } else {
    at += random.int(1, 4) * DAY_MS;
    if (random.chance(0.12)) {
      const midnight = nearMonthEndMidnight(random, at);
      if (midnight < to - 10 * DAY_MS) at = midnight;
    }
    const bill = random.chance(0.5) ? { shippingBillNumber: String(random.int(1_000_000, 9_999_999)), shippingBillDate: indianDay(at) } : {};
    steps.push({ kind: 'shipped', at, extra: { lines, ...bill } });
    if (random.chance(0.05)) {
      steps.push({ kind: 'returned-to-origin', at: (at += random.int(3, 6) * DAY_MS), extra: { reason: 'Buyer unreachable at the delivery address' } });
    } else {
      if (random.chance(0.6)) steps.push({ kind: 'customs-cleared', at: (at += random.int(1, 2) * DAY_MS) });
      steps.push({ kind: 'delivered', at: (at += random.int(1, 3) * DAY_MS) });
      const returnable = lines.map((l) => ({ lineId: l.lineId, left: l.quantity }));
      for (let r = 0; r < 2 && random.chance(r === 0 ? 0.12 : 0.25); r++) {
        const line = random.pick(returnable.filter((l) => l.left > 0).length > 0 ? returnable.filter((l) => l.left > 0) : returnable);
        if (line.left === 0) break;
        const quantity = random.int(1, line.left);
        line.left -= quantity;
        steps.push({
          kind: 'returned',
          at: (at += random.int(1, 4) * DAY_MS),
          extra: { lines: [{ lineId: line.lineId, quantity }], reason: random.pick(['Colour differs from the listing', 'Arrived damaged', 'Wrong size']) },
        });
      }
    }
  }
  const events = steps.map(({ kind, at: when, extra }, i): PlannedEvent => ({
    kind,
    payload: {
      eventId: `${orderId}-${i + 1}-${kind}`,
      orderId,
      sequence: i + 1,
      occurredAt: new Date(Math.min(when, to)).toISOString(),
      sellerAccountId: account.accountId,
      destinationCountry,
      currency,
      ...extra,
    },
  }));
  return { partner, orderId, sellerIndex: seller.index, account, events };
}
