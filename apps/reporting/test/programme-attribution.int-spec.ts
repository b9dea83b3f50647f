import { randomUUID } from 'node:crypto';
import {
  ExportAdjusted,
  ExportRecorded,
  Marketplace,
  ProgrammeDefined,
  ProgrammeUpdated,
  SellerApproved,
  SellerEnrolled,
  SellerRegistered,
  toKafkaHeaders,
  Topics,
} from '@niryat/contracts';
import { seededRandom, testInfra } from '@niryat/testing';
import { ConsumerTestBed, ProducedRecord } from './consumer-test-bed';
import { REPORTING_MIGRATIONS } from '../src/database/migrations';
import { readTrainingImpact } from '../src/impact/training-impact';
import { rebuildReportingViews } from '../src/rebuild/rebuild-views';
import { ReportingViews } from '../src/reporting-views';

/**
 * Amazon and Flipkart orders of Uttar Pradesh sellers enrolled in both Amazon Global Selling and
 * the ODOP programme, as a partner produces them: each export counts in the programme whose
 * marketplace it came through, the all-programme rows count it once, and a changed rule plus a
 * rebuild re-attributes history. Expected values are summed here from the orders sent, not by the
 * service's folds.
 */
const AGS = 'amazon-global-selling';
const ODOP = 'flipkart-walmart-odop-up';
const INR_PER_USD = 83;
const SELLERS = Array.from({ length: 6 }, () => randomUUID());
/** Two of the six sell on Amazon only: they export in AGS, never in ODOP. */
const AMAZON_ONLY = new Set(SELLERS.slice(0, 2));

let clock = Date.parse('2026-06-01T04:00:00Z');
const at = () => new Date((clock += 60_000)).toISOString();

function record(topic: string, type: string, key: string, payload: object): ProducedRecord {
  return { topic, key, value: JSON.stringify(payload), headers: toKafkaHeaders({ id: randomUUID(), type, source: '/niryat/test', time: at() }) };
}

function programme(type: string, programmeId: string, version: number, partner: Marketplace, marketplaces: Marketplace[]): ProducedRecord {
  return record(Topics.onboardingProgramme, type, programmeId, {
    programmeId,
    name: programmeId,
    partner,
    marketplaces,
    kind: 'export',
    allIndia: true,
    states: [],
    startsOn: '2015-05-01',
    milestoneStepUsd: 1_000,
    version,
    changedAt: at(),
    changedBy: 'operator-1',
  });
}

const seller = (sellerId: string) => ({ sellerId, stateCode: '09', district: 'Moradabad', classification: 'small' });
const onboarding = (sellerId: string): ProducedRecord[] => [
  record(Topics.onboardingSeller, SellerRegistered.type, sellerId, { ...seller(sellerId), programmes: [AGS, ODOP], registeredAt: at() }),
  record(Topics.onboardingSeller, SellerApproved.type, sellerId, { ...seller(sellerId), programmes: [AGS, ODOP], approvedAt: at(), approvedBy: 'reviewer-1' }),
  ...[AGS, ODOP].map((programmeId) => record(Topics.onboardingSeller, SellerEnrolled.type, sellerId, { ...seller(sellerId), programmeId, enrolledAt: at(), enrolledBy: 'system' })),
];

interface Order {
  exportId: string;
  sellerId: string;
  partner: Marketplace;
  month: string;
  usdCents: number;
  returnedCents: number;
}

function orders(seed: number, count: number): Order[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const sellerId = SELLERS[Math.floor(random() * SELLERS.length)];
    const partner: Marketplace = AMAZON_ONLY.has(sellerId) || random() < 0.5 ? 'amazon' : 'flipkart';
    const usdCents = 1_000 + Math.floor(random() * 500_000);
    return {
      exportId: randomUUID(),
      sellerId,
      partner,
      month: random() < 0.5 ? '2026-07' : '2026-08',
      usdCents,
      returnedCents: random() < 0.2 ? Math.floor(usdCents / 3) : 0,
    };
  });
}

function exportFacts(order: Order, usdCents: number) {
  const rate = { currency: 'USD', effectiveFrom: '2026-06-01', inrPerUnit: String(INR_PER_USD) };
  return {
    exportId: order.exportId,
    partner: order.partner,
    orderId: `${order.partner === 'amazon' ? 'AMZ' : 'FK'}-${order.exportId.slice(0, 8)}`,
    ...seller(order.sellerId),
    // Exports stamps every programme the seller is enrolled in on the shipment day; reporting decides.
    programmes: [AGS, ODOP],
    destinationCountry: 'US',
    shipmentDate: `${order.month}-15`,
    currency: 'USD',
    lines: [{ lineId: 'line-1', hsCode: '74198030', quantity: usdCents < 0 ? -1 : 1, valueMinor: usdCents, valueUsdMinor: usdCents, valueInrMinor: usdCents * INR_PER_USD }],
    valueMinor: usdCents,
    valueUsdMinor: usdCents,
    valueInrMinor: usdCents * INR_PER_USD,
    fxRate: rate,
    usdRate: rate,
  };
}

const exportRecords = (list: readonly Order[]): ProducedRecord[] =>
  list.flatMap((order) => [
    record(Topics.exports, ExportRecorded.type, order.sellerId, { ...exportFacts(order, order.usdCents), recordedAt: at() }),
    ...(order.returnedCents > 0
      ? [
          record(Topics.exports, ExportAdjusted.type, order.sellerId, {
            ...exportFacts(order, -order.returnedCents),
            adjustmentId: randomUUID(),
            reason: 'return',
            adjustmentDate: `${order.month}-28`,
            recordedAt: at(),
          }),
        ]
      : []),
  ]);

/** What the totals rows must say: summed from the orders whose marketplace counts in the programme. */
function expectedTotals(list: readonly Order[], rules: Record<string, readonly Marketplace[]>) {
  const rows = new Map<string, { valueUsdMinor: bigint; valueInrMinor: bigint; orders: number; returns: number; sellers: Set<string> }>();
  for (const order of list) {
    const programmes = ['*', ...Object.entries(rules).filter(([, marketplaces]) => marketplaces.includes(order.partner)).map(([id]) => id)];
    for (const programme of programmes) {
      const key = `${programme}|09|${order.month}`;
      const row = rows.get(key) ?? { valueUsdMinor: 0n, valueInrMinor: 0n, orders: 0, returns: 0, sellers: new Set<string>() };
      row.valueUsdMinor += BigInt(order.usdCents - order.returnedCents);
      row.valueInrMinor += BigInt((order.usdCents - order.returnedCents) * INR_PER_USD);
      row.orders += 1;
      row.returns += order.returnedCents > 0 ? 1 : 0;
      row.sellers.add(order.sellerId);
      rows.set(key, row);
    }
  }
  return new Map(
    [...rows].map(([key, r]) => [key, { valueUsdMinor: String(r.valueUsdMinor), valueInrMinor: String(r.valueInrMinor), orders: r.orders, returns: r.returns, exportingSellers: r.sellers.size }]),
  );
}

class AttributionBed extends ConsumerTestBed {
  readonly views = new ReportingViews(this.schema);

  constructor(label: string) {
    super(label, REPORTING_MIGRATIONS);
  }

  consumeScript(records: readonly ProducedRecord[]): Promise<void> {
    return this.consumeAll([this.views.consumer(50)], records);
  }

  async totals() {
    const rows = await this.views.exportTotals.read(this.dataSource.manager);
    return new Map(
      rows.map((r) => [
        `${r.programme}|${r.stateCode}|${r.month}`,
        { valueUsdMinor: r.valueUsdMinor, valueInrMinor: r.valueInrMinor, orders: r.orders, returns: r.returns, exportingSellers: r.exportingSellers },
      ]),
    );
  }

  async cumulative(): Promise<Record<string, string>> {
    const progress = await this.views.progress.read(this.dataSource.manager, '2026-12-31');
    return Object.fromEntries(progress.map((p) => [p.programme, p.cumulativeUsd]));
  }
}

const usd = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
const net = (list: readonly Order[], marketplaces: readonly Marketplace[]) =>
  list.filter((o) => marketplaces.includes(o.partner)).reduce((sum, o) => sum + BigInt(o.usdCents - o.returnedCents), 0n);

describe('programmes count only the exports of their own marketplaces (real Kafka and Postgres)', () => {
  const ORDERS = orders(20_261_204, 80);
  const RULES = { [AGS]: ['amazon'], [ODOP]: ['flipkart', 'walmart'] } as const;
  const CATALOGUE = [programme(ProgrammeDefined.type, AGS, 1, 'amazon', ['amazon']), programme(ProgrammeDefined.type, ODOP, 1, 'flipkart', ['flipkart', 'walmart'])];

  it('counts Amazon orders in Amazon Global Selling, Flipkart orders in ODOP, and each export once in the all-programme rows', async () => {
    const bed = await new AttributionBed('attribution').setUp();
    try {
      await bed.consumeScript([...CATALOGUE, ...SELLERS.flatMap(onboarding), ...exportRecords(ORDERS)]);
      expect(new Set(ORDERS.map((o) => o.partner))).toEqual(new Set(['amazon', 'flipkart']));
      expect(await bed.totals()).toEqual(expectedTotals(ORDERS, RULES));
      expect(await bed.cumulative()).toEqual({ [AGS]: usd(net(ORDERS, ['amazon'])), [ODOP]: usd(net(ORDERS, ['flipkart', 'walmart'])) });

      // The funnel's exporting and training impact follow the same rule: Amazon-only sellers export in AGS, not in ODOP.
      const funnel = await bed.views.funnel.readFunnel(bed.dataSource.manager);
      const flipkartSellers = new Set(ORDERS.filter((o) => o.partner === 'flipkart').map((o) => o.sellerId));
      const amazonSellers = new Set(ORDERS.filter((o) => o.partner === 'amazon').map((o) => o.sellerId));
      expect(funnel.map((r) => [r.programme, r.registered, r.exporting])).toEqual([
        [AGS, SELLERS.length, amazonSellers.size],
        [ODOP, SELLERS.length, flipkartSellers.size],
      ]);
      const impact = await readTrainingImpact(bed.dataSource.manager, ODOP);
      expect(impact.map((r) => [r.exportingSellers, r.valueUsdMinor])).toEqual([[flipkartSellers.size, String(net(ORDERS, ['flipkart']))]]);
    } finally {
      await bed.tearDown();
    }
  });

  it('applies a changed rule to new exports at once, and to the whole history after a rebuild', async () => {
    const bed = await new AttributionBed('attribution-rule').setUp();
    try {
      await bed.consumeScript([...CATALOGUE, ...SELLERS.flatMap(onboarding), ...exportRecords(ORDERS)]);
      // The operator lets Amazon's orders count in ODOP too (version 2); later orders count there at once.
      const LATER = orders(7, 20).map((o) => ({ ...o, month: '2026-09' }));
      await bed.consumeScript([programme(ProgrammeUpdated.type, ODOP, 2, 'flipkart', ['amazon', 'flipkart', 'walmart'])]);
      await bed.consumeScript(exportRecords(LATER));
      const live = await bed.totals();
      expect(live).toEqual(
        new Map([...expectedTotals(ORDERS, RULES), ...expectedTotals(LATER, { ...RULES, [ODOP]: ['amazon', 'flipkart', 'walmart'] })]),
      );

      // The history before the change is re-attributed by a rebuild, under the latest catalogue.
      await rebuildReportingViews({ databaseUrl: testInfra().databaseUrl, kafka: bed.kafka, liveSchema: bed.schema, stamp: 'rule' });
      const ALL = [...ORDERS, ...LATER];
      expect(await bed.totals()).toEqual(expectedTotals(ALL, { ...RULES, [ODOP]: ['amazon', 'flipkart', 'walmart'] }));
      expect(await bed.cumulative()).toEqual({ [AGS]: usd(net(ALL, ['amazon'])), [ODOP]: usd(net(ALL, ['amazon', 'flipkart', 'walmart'])) });
    } finally {
      await bed.tearDown();
    }
  });

  it('sets an export aside for a programme not defined yet, counts it in the all-programme rows at once and in the programme once defined', async () => {
    const bed = await new AttributionBed('attribution-late').setUp();
    try {
      const [first] = ORDERS.filter((o) => o.partner === 'flipkart');
      await bed.consumeScript([programme(ProgrammeDefined.type, AGS, 1, 'amazon', ['amazon']), ...exportRecords([first])]);
      expect([...(await bed.totals()).keys()]).toEqual([`*|09|${first.month}`]);
      expect(await bed.views.attribution.pending(bed.dataSource.manager)).toEqual([{ programme: ODOP, exports: 1, since: expect.any(String) }]);

      await bed.consumeScript([programme(ProgrammeDefined.type, ODOP, 1, 'flipkart', ['flipkart', 'walmart'])]);
      expect(await bed.totals()).toEqual(expectedTotals([first], RULES));
      expect(await bed.views.attribution.pending(bed.dataSource.manager)).toEqual([]);
    } finally {
      await bed.tearDown();
    }
  });
});
