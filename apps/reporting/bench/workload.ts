import { randomUUID } from 'node:crypto';
import { EventDefinition, ExportRecorded, ExportRecordedV1, Marketplace, parsePayload, SellerApproved, SellerRegistered, toKafkaHeaders, Topics, TopicSpecs } from '@niryat/contracts';
import { minorUnitsOf, rateOn, RECORDED_VALUE_ROUNDING, SEED_FX_RATES, toUsdAndInr } from '@niryat/money';
import { Partitioners, PartitionerArgs } from 'kafkajs';
import { seededRandom } from '@niryat/testing';

/**
 * The benchmark's ExportRecorded traffic, as the exports service publishes it: a few hundred
 * sellers in the exporting clusters of eight states, in zero to three programmes, shipping their
 * own products to plausible markets in those markets' currencies, valued with the seed FX rates in
 * force on the shipment day (2026), one event per shipped order. Deterministic for a seed.
 *
 * Probes are ordinary exports of dedicated sellers whose effect nothing else touches: probe seller
 * k ships only in month 2025-(k+1) (all other traffic ships in 2026), so the `orders` of its row
 * (amazon-global-selling, 09, 2025-(k+1)) counts exactly its probes. There is one probe seller per
 * partition of the exports topic, so probes travel every partition; a seller's events stay in order
 * on its partition, so its row's count says which of its probes are in the totals.
 */

export const PROBE_PROGRAMME = 'amazon-global-selling';
export const PROBE_STATE = '09';
/** Partitions of the exports topic: one probe seller on each. */
export const EXPORT_PARTITIONS = TopicSpecs.find((s) => s.name === Topics.exports)?.partitions ?? 6;

/** The probe row of probe seller `k`, as `YYYY-MM`. */
export function probeMonth(k: number): string {
  return `2025-${String(k + 1).padStart(2, '0')}`;
}

export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

interface Seller {
  sellerId: string;
  stateCode: string;
  district: string;
  classification: 'micro' | 'small' | 'medium';
  programmes: string[];
  partner: Marketplace;
  products: { hsCode: string; from: number; to: number }[];
}

/** Clusters and their products: ITC-HS code and a unit price range in US cents. */
const CLUSTERS: { stateCode: string; district: string; products: [string, number, number][] }[] = [
  { stateCode: '09', district: 'Moradabad', products: [['74198030', 800, 9_000], ['73239990', 500, 4_000]] },
  { stateCode: '09', district: 'Agra', products: [['64039990', 2_500, 12_000], ['42022110', 3_000, 15_000]] },
  { stateCode: '09', district: 'Bhadohi', products: [['57011010', 15_000, 120_000], ['57024290', 4_000, 30_000]] },
  { stateCode: '09', district: 'Firozabad', products: [['70139900', 300, 3_500]] },
  { stateCode: '09', district: 'Varanasi', products: [['50072010', 4_000, 40_000]] },
  { stateCode: '06', district: 'Panipat', products: [['63049190', 900, 6_000], ['63022100', 1_500, 9_000]] },
  { stateCode: '08', district: 'Jaipur', products: [['69139000', 700, 8_000], ['71131910', 5_000, 60_000]] },
  { stateCode: '08', district: 'Jodhpur', products: [['94036000', 8_000, 90_000]] },
  { stateCode: '33', district: 'Tiruppur', products: [['61091000', 250, 1_800], ['61101000', 900, 4_500]] },
  { stateCode: '27', district: 'Kolhapur', products: [['64035990', 2_000, 9_000]] },
  { stateCode: '24', district: 'Surat', products: [['54075290', 400, 3_000]] },
  { stateCode: '32', district: 'Alappuzha', products: [['57050024', 1_200, 8_000]] },
  { stateCode: '19', district: 'Kolkata', products: [['42022210', 300, 2_500]] },
];

/** Markets: destination countries, their currency and a weight. */
const MARKETS: { currency: string; countries: string[]; weight: number }[] = [
  { currency: 'USD', countries: ['US'], weight: 40 },
  { currency: 'GBP', countries: ['GB'], weight: 12 },
  { currency: 'EUR', countries: ['DE', 'FR', 'NL', 'IT', 'ES'], weight: 18 },
  { currency: 'AED', countries: ['AE'], weight: 10 },
  { currency: 'AUD', countries: ['AU'], weight: 6 },
  { currency: 'CAD', countries: ['CA'], weight: 6 },
  { currency: 'SGD', countries: ['SG'], weight: 4 },
  { currency: 'JPY', countries: ['JP'], weight: 4 },
];

/**
 * The marketplaces whose exports count in each programme of the bench's catalogue (published as
 * its ProgrammeDefined, and the bench's own rule for the expected totals): as the seed programmes.
 */
export const BENCH_MARKETPLACES: Record<string, readonly Marketplace[]> = {
  'amazon-global-selling': ['amazon'],
  'flipkart-walmart-odop-up': ['flipkart', 'walmart'],
  'walmart-vriddhi': ['amazon', 'flipkart', 'walmart'],
};

const PARTNER_OF: Record<string, Marketplace> = {
  'amazon-global-selling': 'amazon',
  'flipkart-walmart-odop-up': 'flipkart',
  'walmart-vriddhi': 'walmart',
};

/** Which partition of the exports topic a seller's events go to, as the producer's partitioner decides. */
export function partitionOfKey(key: string, partitions = EXPORT_PARTITIONS): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return partitioner({ topic: Topics.exports, partitionMetadata, message: { key, value: null } } as PartitionerArgs);
}

/** An onboarding event as its outbox relay publishes it, checked against its contract. */
function onboardingRecord<P extends object>(definition: EventDefinition<P>, payload: object, at: string): KafkaRecord {
  const parsed = parsePayload(definition.payload, payload);
  if (!parsed.ok) throw new Error(`invalid ${definition.type}: ${JSON.stringify(parsed.errors)}`);
  return {
    key: definition.keyOf(parsed.payload),
    value: JSON.stringify(payload),
    headers: toKafkaHeaders({ id: randomUUID(), type: definition.type, source: '/niryat/onboarding', time: at }),
  };
}

export class ExportStream {
  readonly sellers: Seller[] = [];
  readonly probeSellers: Seller[] = [];
  private readonly rnd: () => number;
  private orders = 0;

  constructor(seed: number, sellers: number) {
    this.rnd = seededRandom(seed);
    for (let i = 0; i < sellers; i++) this.sellers.push(this.newSeller());
    // One probe seller per partition: try ids until each partition has one.
    const byPartition = new Map<number, Seller>();
    while (byPartition.size < EXPORT_PARTITIONS) {
      const sellerId = this.uuid();
      const partition = partitionOfKey(sellerId);
      if (byPartition.has(partition)) continue;
      byPartition.set(partition, {
        sellerId,
        stateCode: PROBE_STATE,
        district: 'Moradabad',
        classification: 'small',
        programmes: [PROBE_PROGRAMME],
        partner: 'amazon',
        products: [{ hsCode: '74198030', from: 2_500, to: 2_500 }],
      });
    }
    this.probeSellers.push(...[...byPartition.entries()].sort((a, b) => a[0] - b[0]).map(([, seller]) => seller));
  }

  /** The next shipped order of a random seller, shipped on a day of 2026 up to October. */
  next(): ExportRecordedV1 {
    const seller = this.pick(this.sellers);
    const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(this.rnd() * 304) * 86_400_000).toISOString().slice(0, 10);
    return this.shipment(seller, day);
  }

  /** The next probe of probe seller `k`: its one product, in its own month. */
  probe(k: number): ExportRecordedV1 {
    return this.shipment(this.probeSellers[k], `${probeMonth(k)}-15`, { currency: 'USD', countries: ['US'], weight: 1 });
  }

  /** The Kafka record the exports service's outbox relay would publish for `payload`. */
  record(payload: ExportRecordedV1): KafkaRecord {
    return {
      key: ExportRecorded.keyOf(payload),
      value: JSON.stringify(payload),
      headers: toKafkaHeaders({
        id: this.uuid(),
        type: ExportRecorded.type,
        source: '/niryat/exports',
        time: payload.recordedAt,
        subject: ExportRecorded.subjectOf?.(payload),
      }),
    };
  }

  /**
   * Every seller's registration and approval as onboarding publishes them, made at `at`: the
   * exports service records exports of approved sellers only, so the funnel knows where each is.
   */
  onboarding(at: string): KafkaRecord[] {
    return [...this.sellers, ...this.probeSellers].flatMap(({ sellerId, stateCode, district, classification, programmes }) => {
      const seller = { sellerId, stateCode, district, classification, programmes };
      return [
        onboardingRecord(SellerRegistered, { ...seller, registeredAt: at }, at),
        onboardingRecord(SellerApproved, { ...seller, approvedAt: at, approvedBy: 'bench-freshness' }, at),
      ];
    });
  }

  private shipment(seller: Seller, shipmentDate: string, market = this.market()): ExportRecordedV1 {
    this.orders += 1;
    const lineCount = seller.products.length > 1 && this.rnd() < 0.3 ? 2 : 1;
    const products = lineCount === 2 ? seller.products : [this.pick(seller.products)];
    let usd = 0;
    let inr = 0;
    let value = 0;
    let rates: { fx: { currency: string; effectiveFrom: string; inrPerUnit: string }; usd: { currency: string; effectiveFrom: string; inrPerUnit: string } } | undefined;
    const lines = products.map((product, i) => {
      const quantity = 1 + Math.floor(this.rnd() * (product.to > 20_000 ? 3 : 40));
      const unitUsdCents = product.from + Math.floor(this.rnd() * (product.to - product.from + 1));
      const unitMinor = market.currency === 'USD' ? unitUsdCents : this.priceIn(market.currency, unitUsdCents, shipmentDate);
      const amountMinor = BigInt(quantity * unitMinor);
      const converted = toUsdAndInr({ amountMinor, currency: market.currency, rates: SEED_FX_RATES, date: shipmentDate, rounding: RECORDED_VALUE_ROUNDING });
      rates ??= { fx: pickRate(converted.rateUsed), usd: pickRate(converted.usdRateUsed) };
      const line = {
        lineId: `L${i + 1}`,
        hsCode: product.hsCode,
        quantity,
        valueMinor: Number(amountMinor),
        valueUsdMinor: Number(converted.usdMinor),
        valueInrMinor: Number(converted.inrMinor),
      };
      value += line.valueMinor;
      usd += line.valueUsdMinor;
      inr += line.valueInrMinor;
      return line;
    });
    if (!rates) throw new Error('an export has at least one line');
    const orderNumber = String(this.orders).padStart(9, '0');
    return Object.assign(new ExportRecordedV1(), {
      exportId: this.uuid(),
      partner: seller.partner,
      orderId: `${seller.partner === 'amazon' ? '408' : seller.partner === 'flipkart' ? 'OD' : 'WM'}-${orderNumber}`,
      sellerId: seller.sellerId,
      stateCode: seller.stateCode,
      district: seller.district,
      classification: seller.classification,
      programmes: seller.programmes,
      destinationCountry: this.pick(market.countries),
      shipmentDate,
      ...(this.rnd() < 0.8 ? { shippingBillNumber: String(1_000_000 + Math.floor(this.rnd() * 8_999_999)) } : {}),
      currency: market.currency,
      lines,
      valueMinor: value,
      valueUsdMinor: usd,
      valueInrMinor: inr,
      fxRate: rates.fx,
      usdRate: rates.usd,
      recordedAt: `${shipmentDate}T${String(4 + Math.floor(this.rnd() * 12)).padStart(2, '0')}:${String(Math.floor(this.rnd() * 60)).padStart(2, '0')}:00Z`,
    });
  }

  /** A price list in the buyer's currency: the US price at the day's cross rate, in that currency's minor units. */
  private priceIn(currency: string, usdCents: number, date: string): number {
    const usd = rateOn(SEED_FX_RATES, 'USD', date);
    const own = rateOn(SEED_FX_RATES, currency, date);
    if (!usd || !own) throw new Error(`no seed rate for ${currency} or USD on ${date}`);
    return Math.max(1, Math.round((usdCents / 100) * (Number(usd.inrPerUnit) / Number(own.inrPerUnit)) * 10 ** minorUnitsOf(currency)));
  }

  private newSeller(): Seller {
    const cluster = this.pick(CLUSTERS);
    const programmes: string[] = [];
    if (cluster.stateCode === '09' && this.rnd() < 0.6) programmes.push('flipkart-walmart-odop-up');
    if (this.rnd() < 0.55) programmes.push('amazon-global-selling');
    if (this.rnd() < 0.3) programmes.push('walmart-vriddhi');
    return {
      sellerId: this.uuid(),
      stateCode: cluster.stateCode,
      district: cluster.district,
      classification: this.pick(['micro', 'micro', 'small', 'small', 'medium'] as const),
      programmes,
      // A seller in no programme still sells somewhere: on Amazon, say.
      partner: programmes.length > 0 ? PARTNER_OF[this.pick(programmes)] : 'amazon',
      products: cluster.products.map(([hsCode, from, to]) => ({ hsCode, from, to })),
    };
  }

  private market(): (typeof MARKETS)[number] {
    let roll = this.rnd() * MARKETS.reduce((sum, m) => sum + m.weight, 0);
    for (const market of MARKETS) {
      roll -= market.weight;
      if (roll < 0) return market;
    }
    return MARKETS[0];
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)];
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.rnd() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(this.rnd() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** Only the fields the contract has: the payload is validated with unknown properties forbidden. */
function pickRate({ currency, effectiveFrom, inrPerUnit }: { currency: string; effectiveFrom: string; inrPerUnit: string }) {
  return { currency, effectiveFrom, inrPerUnit };
}

export interface ExpectedRow {
  valueUsdMinor: bigint;
  valueInrMinor: bigint;
  orders: number;
  sellers: Set<string>;
}

/**
 * What a correct export-totals view holds after the produced events, worked out here from the
 * payloads, independently of the projection: per programme whose marketplaces take the export's
 * (BENCH_MARKETPLACES), and '*' (every export once) × state × shipment month, the sums, the orders
 * and the distinct exporting sellers.
 */
export class ExpectedTotals {
  readonly rows = new Map<string, ExpectedRow>();
  events = 0;

  add(payload: ExportRecordedV1): void {
    this.events += 1;
    const month = payload.shipmentDate.slice(0, 7);
    const counted = payload.programmes.filter((programme) => BENCH_MARKETPLACES[programme]?.includes(payload.partner));
    for (const programme of new Set([...counted, '*'])) {
      const key = `${programme}|${payload.stateCode}|${month}`;
      const row = this.rows.get(key) ?? { valueUsdMinor: 0n, valueInrMinor: 0n, orders: 0, sellers: new Set<string>() };
      row.valueUsdMinor += BigInt(payload.valueUsdMinor);
      row.valueInrMinor += BigInt(payload.valueInrMinor);
      row.orders += 1;
      row.sellers.add(payload.sellerId);
      this.rows.set(key, row);
    }
  }
}
