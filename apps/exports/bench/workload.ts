import { OrderPlaced, OrderShipped, partnerOfOrderKey, partnerOrderKey, partnerOrdersTopic, toKafkaHeaders, type Marketplace } from '@niryat/contracts';
import { indianCalendarDate } from '@niryat/india';
import { convertMinor, RECORDED_VALUE_ROUNDING, rateOn, SEED_FX_RATES } from '@niryat/money';
import { Client } from 'pg';
import { seededRandom } from '@niryat/testing';

/**
 * The benchmark's partner traffic: a few hundred sellers with marketplace accounts, and per order a
 * placed and a shipped event (1-3 lines, USD or EUR, dates in 2026 so the seed FX rates apply),
 * ordered by when they happened, so an order's two events are usually far apart on its partition
 * and most shipments find their order in the database, not in the same batch. Deterministic for a
 * given seed.
 */
export interface WorkloadOptions {
  orders: number;
  sellers: number;
  seed: number;
  /** Share of shipped events a partner sends twice (a few hundred records later). */
  duplicates: number;
}

export interface SellerRow {
  sellerId: string;
  stateCode: string;
  district: string;
  classification: string;
  programmes: string[];
}

export interface AccountRow {
  marketplace: Marketplace;
  accountId: string;
  sellerId: string;
}

export interface PartnerRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Records by their partner's own topic (from the key, `<partner>:<orderId>`) under a topic namespace, for one sendBatch. */
export function byPartnerTopic<R extends { key: string }>(namespace: string, records: readonly R[]): { topic: string; messages: R[] }[] {
  const topics = new Map<string, R[]>();
  for (const record of records) {
    const topic = `${namespace}.${partnerOrdersTopic(partnerOfOrderKey(record.key) as Marketplace)}`;
    const messages = topics.get(topic);
    if (messages) messages.push(record);
    else topics.set(topic, [record]);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/** What a correct consumer ends with, computed here independently of the service's code paths. */
export interface Expected {
  orders: number;
  exports: number;
  /** Distinct events (records minus resent copies). */
  events: number;
  valueMinorByCurrency: Record<string, string>;
  valueUsdMinor: string;
  valueInrMinor: string;
}

export interface Workload {
  sellers: SellerRow[];
  accounts: AccountRow[];
  records: PartnerRecord[];
  expected: Expected;
  bytes: number;
}

const STATES = [
  { stateCode: '09', districts: ['Moradabad', 'Agra', 'Bhadohi', 'Kanpur Nagar', 'Firozabad'] },
  { stateCode: '06', districts: ['Panipat', 'Faridabad'] },
  { stateCode: '08', districts: ['Jaipur', 'Jodhpur'] },
  { stateCode: '33', districts: ['Tiruppur', 'Karur'] },
  { stateCode: '27', districts: ['Kolhapur', 'Pune'] },
];
const PROGRAMMES: Record<Marketplace, string> = {
  amazon: 'amazon-global-selling',
  flipkart: 'flipkart-walmart-odop-up',
  walmart: 'walmart-vriddhi',
};
const ACCOUNT_PREFIX: Record<Marketplace, string> = { amazon: 'AMZ', flipkart: 'FK', walmart: 'WMT' };
const PRODUCTS = [
  { sku: 'BRASS-VASE-12', hsCode: '74198030' },
  { sku: 'CARPET-3X5', hsCode: '57011010' },
  { sku: 'KNIT-TEE-M', hsCode: '61091000' },
  { sku: 'POTTERY-BOWL', hsCode: '69120010' },
  { sku: 'LEATHER-BAG', hsCode: '42022110' },
  { sku: 'HOME-LINEN', hsCode: '63049190' },
];
const MARKETS = [
  { currency: 'USD', countries: ['US', 'CA', 'AE'], weight: 0.65 },
  { currency: 'EUR', countries: ['DE', 'FR', 'NL', 'IT'], weight: 0.35 },
];
const DAY_MS = 86_400_000;
const YEAR_START = Date.UTC(2026, 0, 5);

export function generateWorkload(options: WorkloadOptions): Workload {
  const rnd = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(rnd() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };

  const sellers: SellerRow[] = [];
  const accounts: AccountRow[] = [];
  const marketplaces: Marketplace[] = ['amazon', 'flipkart', 'walmart'];
  for (let i = 0; i < options.sellers; i++) {
    const state = pick(STATES);
    const first = pick(marketplaces);
    const held = rnd() < 0.25 ? [first, marketplaces[(marketplaces.indexOf(first) + 1) % 3]] : [first];
    const seller: SellerRow = {
      sellerId: uuid(),
      stateCode: state.stateCode,
      district: pick(state.districts),
      classification: pick(['micro', 'micro', 'small', 'medium']),
      programmes: held.map((m) => PROGRAMMES[m]),
    };
    sellers.push(seller);
    for (const marketplace of held) {
      accounts.push({ marketplace, accountId: `${ACCOUNT_PREFIX[marketplace]}-BENCH-${String(i + 1).padStart(5, '0')}`, sellerId: seller.sellerId });
    }
  }

  const timed: { at: number; record: PartnerRecord; shipped: boolean }[] = [];
  const byCurrency = new Map<string, bigint>();
  let usd = 0n;
  let inr = 0n;
  for (let n = 1; n <= options.orders; n++) {
    const account = pick(accounts);
    const market = rnd() < MARKETS[0].weight ? MARKETS[0] : MARKETS[1];
    const orderId = `BO-${String(n).padStart(8, '0')}`;
    const lines = Array.from({ length: int(1, 3) }, (_, i) => ({
      lineId: `L${i + 1}`,
      ...pick(PRODUCTS),
      quantity: int(1, 20),
      unitPriceMinor: int(500, 50_000),
    }));
    const placedAt = YEAR_START + Math.floor(rnd() * 260 * DAY_MS);
    const shippedAt = placedAt + DAY_MS + Math.floor(rnd() * 4 * DAY_MS);
    const common = {
      orderId,
      sellerAccountId: account.accountId,
      destinationCountry: pick(market.countries),
      currency: market.currency,
      lines,
    };
    const shipmentDate = indianCalendarDate(new Date(shippedAt));
    const withBill = rnd() < 0.8 ? { shippingBillNumber: String(int(1_000_000, 9_999_999)), shippingBillDate: shipmentDate } : {};
    const events = [
      { type: OrderPlaced.type, at: placedAt, payload: { eventId: `${orderId}-placed`, sequence: 1, occurredAt: new Date(placedAt).toISOString(), ...common } },
      {
        type: OrderShipped.type,
        at: shippedAt,
        payload: { eventId: `${orderId}-shipped`, sequence: 2, occurredAt: new Date(shippedAt).toISOString(), ...common, ...withBill },
      },
    ];
    for (const event of events) {
      const record: PartnerRecord = {
        key: partnerOrderKey(account.marketplace, orderId),
        value: JSON.stringify(event.payload),
        headers: toKafkaHeaders({
          id: event.payload.eventId,
          type: event.type,
          source: account.marketplace,
          time: event.payload.occurredAt,
          subject: `orders/${orderId}`,
        }),
      };
      timed.push({ at: event.at, record, shipped: event.type === OrderShipped.type });
    }

    // The value a correct consumer records: per line, converted once with half-even rounding.
    const fx = rateOn(SEED_FX_RATES, market.currency, shipmentDate);
    const usdRate = rateOn(SEED_FX_RATES, 'USD', shipmentDate);
    if (!fx || !usdRate) throw new Error(`no seed rate for ${market.currency} or USD on ${shipmentDate}`);
    for (const line of lines) {
      const amount = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
      const convert = (to: string, toInrPerUnit: string) =>
        convertMinor({ amountMinor: amount, from: market.currency, to, fromInrPerUnit: fx.inrPerUnit, toInrPerUnit, rounding: RECORDED_VALUE_ROUNDING });
      byCurrency.set(market.currency, (byCurrency.get(market.currency) ?? 0n) + amount);
      usd += convert('USD', usdRate.inrPerUnit);
      inr += convert('INR', '1');
    }
  }
  timed.sort((a, b) => a.at - b.at);
  const records = timed.map((t) => t.record);
  const events = records.length;

  // A partner resending some shipments: the copy follows the original a few hundred records later.
  const resends = timed
    .map((t, index) => ({ t, index }))
    .filter(({ t }) => t.shipped && rnd() < options.duplicates)
    .map(({ t, index }) => ({ record: t.record, position: Math.min(records.length, index + int(50, 500)) }))
    .sort((a, b) => b.position - a.position);
  for (const { record, position } of resends) records.splice(position, 0, record);

  return {
    sellers,
    accounts,
    records,
    bytes: records.reduce((sum, r) => sum + r.value.length + r.key.length + JSON.stringify(r.headers).length, 0),
    expected: {
      orders: options.orders,
      exports: options.orders,
      events,
      valueMinorByCurrency: Object.fromEntries([...byCurrency.entries()].sort().map(([c, v]) => [c, v.toString()])),
      valueUsdMinor: usd.toString(),
      valueInrMinor: inr.toString(),
    },
  };
}

/** The sellers and account links the exports service would have learnt from onboarding: setup, not measured. */
export async function seedDirectory(db: Client, schema: string, workload: Workload): Promise<void> {
  const { sellers, accounts } = workload;
  await db.query(
    `INSERT INTO "${schema}".seller_directory (seller_id, state_code, district, classification, status, programmes, enrolments)
     SELECT s, st, d, c, 'approved', string_to_array(p, ','),
            (SELECT coalesce(jsonb_agg(jsonb_build_object('programmeId', e, 'from', '0001-01-01', 'until', NULL)), '[]'::jsonb) FROM unnest(string_to_array(p, ',')) AS e)
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(s, st, d, c, p)`,
    [
      sellers.map((s) => s.sellerId),
      sellers.map((s) => s.stateCode),
      sellers.map((s) => s.district),
      sellers.map((s) => s.classification),
      sellers.map((s) => s.programmes.join(',')),
    ],
  );
  await db.query(
    `INSERT INTO "${schema}".marketplace_accounts (marketplace, account_id, seller_id, linked_at)
     SELECT m, a, s, now() FROM unnest($1::text[], $2::text[], $3::uuid[]) AS t(m, a, s)`,
    [accounts.map((a) => a.marketplace), accounts.map((a) => a.accountId), accounts.map((a) => a.sellerId)],
  );
}
