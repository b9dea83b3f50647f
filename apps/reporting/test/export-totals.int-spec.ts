import { randomUUID } from 'node:crypto';
import { ExportAdjusted, ExportAdjustedV1, ExportRecorded, ExportRecordedV1, toKafkaHeaders, Topics } from '@niryat/contracts';
import { ConsumerTestBed, givenEveryMarketplace, interleave, latestPerKey, ProducedRecord } from './consumer-test-bed';
import { REPORTING_MIGRATIONS } from '../src/database/migrations';
import { exportEventsConsumerOptions } from '../src/export-totals/export-events.consumer';
import { ExportTotalsFilters, ExportTotalsRow } from '../src/export-totals/export-totals.projection';
import { ReportingViews } from '../src/reporting-views';

const P1 = 'walmart-vriddhi';
const P2 = 'flipkart-walmart-odop-up';
/** Seller A: Uttar Pradesh, in two programmes. Seller B: Haryana, in one. Seller C: Uttar Pradesh, in none. */
const A = { sellerId: randomUUID(), stateCode: '09', district: 'Moradabad', programmes: [P1, P2] };
const B = { sellerId: randomUUID(), stateCode: '06', district: 'Panipat', programmes: [P1] };
const C = { sellerId: randomUUID(), stateCode: '09', district: 'Agra', programmes: [] as string[] };

type ScriptRecord = ProducedRecord;

type Line = [hsCode: string, usd: number];
const INR_PER_USD = 83;

function facts(seller: typeof A, exportId: string, shipmentDate: string, destinationCountry: string, lines: Line[]) {
  const usd = lines.reduce((sum, [, v]) => sum + v, 0);
  return {
    exportId,
    partner: 'walmart',
    orderId: `order-${exportId.slice(0, 8)}`,
    sellerId: seller.sellerId,
    stateCode: seller.stateCode,
    district: seller.district,
    classification: 'small',
    programmes: seller.programmes,
    destinationCountry,
    shipmentDate,
    currency: 'USD',
    lines: lines.map(([hsCode, v], i) => ({
      lineId: `line-${i + 1}`,
      hsCode,
      quantity: v < 0 ? -1 : 1,
      valueMinor: v,
      valueUsdMinor: v,
      valueInrMinor: v * INR_PER_USD,
    })),
    valueMinor: usd,
    valueUsdMinor: usd,
    valueInrMinor: usd * INR_PER_USD,
    fxRate: { currency: 'USD', effectiveFrom: '2026-09-01', inrPerUnit: String(INR_PER_USD) },
    usdRate: { currency: 'USD', effectiveFrom: '2026-09-01', inrPerUnit: String(INR_PER_USD) },
  };
}

function record(type: string, payload: object & { sellerId: string }, id = randomUUID()): ScriptRecord {
  return {
    topic: Topics.exports,
    key: payload.sellerId,
    value: JSON.stringify(payload),
    headers: toKafkaHeaders({ id, type, source: '/niryat/exports', time: new Date().toISOString() }),
  };
}

function recorded(seller: typeof A, exportId: string, shipmentDate: string, destination: string, lines: Line[], recordedAt: string): ScriptRecord {
  const payload: ExportRecordedV1 = Object.assign(new ExportRecordedV1(), facts(seller, exportId, shipmentDate, destination, lines), { recordedAt });
  return record(ExportRecorded.type, payload);
}

function adjusted(seller: typeof A, exportId: string, shipmentDate: string, destination: string, lines: Line[], adjustmentDate: string): ScriptRecord {
  const payload: ExportAdjustedV1 = Object.assign(new ExportAdjustedV1(), facts(seller, exportId, shipmentDate, destination, lines), {
    adjustmentId: randomUUID(),
    reason: 'return' as const,
    adjustmentDate,
    recordedAt: `${adjustmentDate}T10:00:00Z`,
  });
  return record(ExportAdjusted.type, payload);
}

const E1 = randomUUID();
/** The scripted history, in the order the exports service would publish it. */
const SCRIPT: ScriptRecord[] = [
  // September: A ships twice (US, GB), B once (US).
  recorded(A, E1, '2026-09-10', 'US', [['69120010', 10_000], ['44190010', 5_000]], '2026-09-10T09:00:00Z'),
  recorded(A, randomUUID(), '2026-09-20', 'GB', [['69120010', 20_000]], '2026-09-20T09:00:00Z'),
  recorded(B, randomUUID(), '2026-09-15', 'US', [['57020010', 7_000]], '2026-09-15T09:00:00Z'),
  // October: A ships again, C (no programme) ships, A returns the chapter-44 line of its first September export.
  recorded(A, randomUUID(), '2026-10-05', 'US', [['69120010', 30_000]], '2026-10-05T09:00:00Z'),
  recorded(C, randomUUID(), '2026-10-07', 'US', [['69120010', 1_000]], '2026-10-07T09:00:00Z'),
  adjusted(A, E1, '2026-09-10', 'US', [['44190010', -5_000]], '2026-10-12'),
  // Late: B's September shipment recognised only on 20 October.
  recorded(B, randomUUID(), '2026-09-28', 'AE', [['57020010', 3_000]], '2026-10-20T09:00:00Z'),
];

// Expected rows, worked out by hand from the script above (USD minor; INR = USD × 83).
const row = (programme: string, stateCode: string, month: string, usd: number, orders: number, sellers: number, returnedUsd = 0, returns = 0) => ({
  programme,
  stateCode,
  month,
  valueUsdMinor: String(usd),
  valueInrMinor: String(usd * INR_PER_USD),
  orders,
  exportingSellers: sellers,
  returns,
  returnsUsdMinor: String(returnedUsd),
  returnsInrMinor: String(returnedUsd * INR_PER_USD),
});
const EXPECTED_TOTALS: ExportTotalsRow[] = [
  row('*', '06', '2026-09', 10_000, 2, 1), // B: 7 000 + late 3 000
  row('*', '09', '2026-09', 30_000, 2, 1, 5_000, 1), // A: 15 000 + 20 000 − 5 000 returned
  row('*', '09', '2026-10', 31_000, 2, 2), // A 30 000 + C 1 000: two sellers
  row(P2, '09', '2026-09', 30_000, 2, 1, 5_000, 1),
  row(P2, '09', '2026-10', 30_000, 1, 1), // C is in no programme
  row(P1, '06', '2026-09', 10_000, 2, 1),
  row(P1, '09', '2026-09', 30_000, 2, 1, 5_000, 1),
  row(P1, '09', '2026-10', 30_000, 1, 1),
];

const dest = (destinationCountry: string, usd: number, orders: number) => ({
  destinationCountry,
  valueUsdMinor: String(usd),
  valueInrMinor: String(usd * INR_PER_USD),
  orders,
});
const EXPECTED_BY_DESTINATION = [
  [dest('AE', 3_000, 1), dest('US', 7_000, 1)],
  [dest('GB', 20_000, 1), dest('US', 10_000, 1)], // US: 15 000 − 5 000 returned, still one order
  [dest('US', 31_000, 2)],
  [dest('GB', 20_000, 1), dest('US', 10_000, 1)],
  [dest('US', 30_000, 1)],
  [dest('AE', 3_000, 1), dest('US', 7_000, 1)],
  [dest('GB', 20_000, 1), dest('US', 10_000, 1)],
  [dest('US', 30_000, 1)],
];

const chapter = (hsChapter: string, usd: number) => ({ hsChapter, valueUsdMinor: String(usd), valueInrMinor: String(usd * INR_PER_USD) });
const EXPECTED_BY_HS_CHAPTER = [
  [chapter('57', 10_000)],
  [chapter('44', 0), chapter('69', 30_000)], // the chapter-44 line came back
  [chapter('69', 31_000)],
  [chapter('44', 0), chapter('69', 30_000)],
  [chapter('69', 30_000)],
  [chapter('57', 10_000)],
  [chapter('44', 0), chapter('69', 30_000)],
  [chapter('69', 30_000)],
];

/** The reporting consumer of export events on its own schema and topic namespace. */
class ExportTotalsHarness extends ConsumerTestBed {
  readonly views = new ReportingViews(this.schema);
  readonly projection = this.views.exportTotals;

  constructor(label: string) {
    super(label, REPORTING_MIGRATIONS);
  }

  override async setUp(): Promise<this> {
    await super.setUp();
    // Every marketplace counts in both: this spec is about the totals, programme-attribution.spec about attribution.
    await givenEveryMarketplace(this.dataSource, this.views.catalogue, [P1, P2]);
    return this;
  }

  consumeScript(records: ScriptRecord[], maxChunkSize?: number): Promise<void> {
    return this.consume(exportEventsConsumerOptions(this.projection, this.schema, maxChunkSize), records);
  }

  read(filters: ExportTotalsFilters = {}): Promise<ExportTotalsRow[]> {
    return this.projection.read(this.dataSource.manager, filters);
  }
}

async function expectScriptedRows(harness: ExportTotalsHarness): Promise<void> {
  expect(await harness.read()).toEqual(EXPECTED_TOTALS);
  expect((await harness.read({ by: 'destination' })).map((r) => r.byDestination)).toEqual(EXPECTED_BY_DESTINATION);
  expect((await harness.read({ by: 'hs-chapter' })).map((r) => r.byHsChapter)).toEqual(EXPECTED_BY_HS_CHAPTER);
}

describe('export totals per programme × state × month (real Kafka and Postgres)', () => {
  const harnesses: ExportTotalsHarness[] = [];
  afterAll(async () => {
    for (const harness of harnesses) await harness.tearDown();
  });

  it('gives the exact rows of a scripted history: programmes, distinct sellers, a return, a late event', async () => {
    const harness = await new ExportTotalsHarness('exp-script').setUp();
    harnesses.push(harness);
    await harness.consumeScript(SCRIPT);

    await expectScriptedRows(harness);
    expect(await harness.read({ programme: P1, from: '2026-10', to: '2026-10' })).toEqual([
      row(P1, '09', '2026-10', 30_000, 1, 1),
    ]);
    expect(await harness.read({ programme: '*', stateCode: '06' })).toEqual([row('*', '06', '2026-09', 10_000, 2, 1)]);
  });

  it('gives the same rows when every record arrives twice, an export is re-sent as a new event, and keys interleave differently', async () => {
    const harness = await new ExportTotalsHarness('exp-dupes').setUp();
    harnesses.push(harness);
    // Each key's whole history twice (a relay retry redelivering it), plus E1 re-sent under a new ce_id.
    const resentE1 = { ...SCRIPT[0], headers: { ...SCRIPT[0].headers, ce_id: randomUUID() } };
    const doubled = [...SCRIPT, ...SCRIPT, resentE1];
    const shuffled = interleave(doubled, 20_261_121);
    expect(shuffled).not.toEqual(doubled);
    // Small chunks: the copies of an event land in different transactions, not just one chunk.
    await harness.consumeScript(shuffled, 2);

    await expectScriptedRows(harness);
  });

  it('republishes every changed row on the compacted reporting topic: the latest record per key equals the database', async () => {
    const harness = await new ExportTotalsHarness('exp-topic').setUp();
    harnesses.push(harness);
    await harness.consumeScript(interleave([...SCRIPT, ...SCRIPT], 7), 3);
    const records = await harness.publishOutbox(Topics.reportingExportTotals);
    for (const record of records) {
      expect(record.headers).toMatchObject({ ce_type: 'niryat.reporting.export-totals.v2', ce_source: '/niryat/reporting' });
    }
    const latest = latestPerKey(records);
    const rows = await harness.read();
    expect(latest.size).toBe(rows.length);
    for (const row of rows) {
      const published = latest.get(`${row.programme}|${row.stateCode}|${row.month}`);
      expect(published).toMatchObject({
        valueUsdMinor: row.valueUsdMinor,
        valueInrMinor: row.valueInrMinor,
        orders: row.orders,
        exportingSellers: row.exportingSellers,
        returns: row.returns,
      });
    }
  });

  it('counts totals past 2^53 exactly in every view and on both topics: twelve exports of USD 90 bn in one cell, none dead-lettered', async () => {
    const harness = await new ExportTotalsHarness('exp-huge').setUp();
    harnesses.push(harness);
    const [usd, inrPerUsd] = [9_000_000_000_000, 88]; // USD 90 bn in cents; INR 7.92 × 10^14 paise each
    const huge = Array.from({ length: 12 }, (_, i) => {
      const payload = Object.assign(new ExportRecordedV1(), facts(B, randomUUID(), '2026-09-10', 'US', [['57011010', usd]]), { recordedAt: `2026-09-${10 + i}T10:00:00Z` });
      payload.lines = payload.lines.map((l) => ({ ...l, valueInrMinor: usd * inrPerUsd }));
      payload.valueInrMinor = usd * inrPerUsd;
      return record(ExportRecorded.type, payload);
    });
    // All the views in one transaction, as the service runs them: a republish problem there undid every view's effect.
    await harness.consumeAll([harness.views.consumer(4)], huge);

    const inr = 12n * BigInt(usd) * BigInt(inrPerUsd);
    expect(inr > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    for (const programme of ['*', P1]) {
      expect(await harness.read({ programme })).toEqual([
        expect.objectContaining({ programme, stateCode: '06', month: '2026-09', orders: 12, valueUsdMinor: String(12n * BigInt(usd)), valueInrMinor: String(inr) }),
      ]);
    }
    const totals = latestPerKey(await harness.publishOutbox(Topics.reportingExportTotals));
    expect(totals.get(`*|06|2026-09`)).toMatchObject({ orders: 12, valueUsdMinor: '108000000000000', valueInrMinor: String(inr), returnsInrMinor: '0' });
    const progress = latestPerKey(await harness.publishOutbox(Topics.reportingProgrammeProgress));
    expect(progress.get(P1)).toMatchObject({ cumulativeUsdMinor: '108000000000000' });
    const setAside: { n: number }[] = await harness.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE set_aside_at IS NOT NULL`);
    expect(setAside).toEqual([{ n: 0 }]);
  });
});
