import { ExportAdjustedV1, ExportRecordedV1 } from '@niryat/contracts';
import { ExportFact, foldExports, hsChapterOf, monthOf, uniqueFacts } from './export-totals.fold';

/** Every fact attributed to each programme its seller is enrolled in (attribution is programme-attribution.spec's). */
const foldEnrolled = (facts: ExportFact[]) => foldExports(facts.map((fact) => ({ fact, programmes: fact.payload.programmes, countsInAll: true })));

const SELLER = '6f1c2a57-0c4e-4a41-9d0e-1f2a3b4c5d6e';
const OTHER = '7a2d3b68-1d5f-4b52-8e1f-2a3b4c5d6e7f';

function recorded(overrides: Partial<ExportRecordedV1> & { exportId: string }): ExportFact {
  return {
    kind: 'recorded',
    payload: {
      sellerId: SELLER,
      stateCode: '09',
      programmes: ['walmart-vriddhi', 'flipkart-walmart-odop-up'],
      destinationCountry: 'US',
      shipmentDate: '2026-09-10',
      valueUsdMinor: 15_000,
      valueInrMinor: 1_245_000,
      lines: [
        { lineId: 'l1', hsCode: '69120010', quantity: 2, valueMinor: 10_000, valueUsdMinor: 10_000, valueInrMinor: 830_000 },
        { lineId: 'l2', hsCode: '44190010', quantity: 1, valueMinor: 5_000, valueUsdMinor: 5_000, valueInrMinor: 415_000 },
      ],
      ...overrides,
    } as ExportRecordedV1,
  };
}

function adjusted(overrides: Partial<ExportAdjustedV1> & { adjustmentId: string }): ExportFact {
  return {
    kind: 'adjusted',
    payload: {
      exportId: 'e1',
      sellerId: SELLER,
      stateCode: '09',
      programmes: ['walmart-vriddhi', 'flipkart-walmart-odop-up'],
      destinationCountry: 'US',
      shipmentDate: '2026-09-10',
      adjustmentDate: '2026-10-12',
      reason: 'return',
      valueUsdMinor: -5_000,
      valueInrMinor: -415_000,
      lines: [{ lineId: 'l2', hsCode: '44190010', quantity: -1, valueMinor: -5_000, valueUsdMinor: -5_000, valueInrMinor: -415_000 }],
      ...overrides,
    } as ExportAdjustedV1,
  };
}

describe('export totals fold', () => {
  it('counts only where the export is attributed, and a released set-aside export not again in the all-programme rows', () => {
    const fact = recorded({ exportId: 'e1' });
    expect([...foldExports([{ fact, programmes: ['walmart-vriddhi'], countsInAll: true }]).totals.keys()]).toEqual(['walmart-vriddhi|09|2026-09-01', '*|09|2026-09-01']);
    const released = foldExports([{ fact, programmes: ['flipkart-walmart-odop-up'], countsInAll: false }]);
    expect([...released.totals.keys()]).toEqual(['flipkart-walmart-odop-up|09|2026-09-01']);
    expect([...released.sellerMonths.keys()]).toEqual([`flipkart-walmart-odop-up|09|2026-09-01|${SELLER}`]);
    expect(foldExports([{ fact, programmes: [], countsInAll: false }]).totals.size).toBe(0);
  });

  it('takes the month from the shipment date and the chapter from the first two HS digits', () => {
    expect(monthOf('2026-09-30')).toBe('2026-09-01');
    expect(hsChapterOf('69120010')).toBe('69');
  });

  it('counts an export in each of its programmes and once in the all-programme total', () => {
    const fold = foldEnrolled([recorded({ exportId: 'e1' })]);
    expect([...fold.totals.keys()]).toEqual(['walmart-vriddhi|09|2026-09-01', 'flipkart-walmart-odop-up|09|2026-09-01', '*|09|2026-09-01']);
    expect(fold.totals.get('*|09|2026-09-01')).toEqual({
      programme: '*',
      stateCode: '09',
      month: '2026-09-01',
      valueUsdMinor: 15_000n,
      valueInrMinor: 1_245_000n,
      orders: 1,
      returns: 0,
      returnsUsdMinor: 0n,
      returnsInrMinor: 0n,
    });
    expect([...fold.sellerMonths.values()].map((m) => m.programme)).toEqual(['walmart-vriddhi', 'flipkart-walmart-odop-up', '*']);
  });

  it('counts an export with no programme only in the all-programme total', () => {
    const fold = foldEnrolled([recorded({ exportId: 'e1', programmes: [] })]);
    expect([...fold.totals.keys()]).toEqual(['*|09|2026-09-01']);
    expect([...fold.byDestination.keys()]).toEqual(['*|09|2026-09-01|US']);
  });

  it('aggregates a batch to one delta per row, returns as negative value and positive returns', () => {
    const fold = foldEnrolled([
      recorded({ exportId: 'e1', programmes: [] }),
      recorded({
        exportId: 'e2',
        programmes: [],
        destinationCountry: 'GB',
        valueUsdMinor: 20_000,
        valueInrMinor: 1_660_000,
        lines: [{ lineId: 'l1', hsCode: '69120010', quantity: 4, valueMinor: 20_000, valueUsdMinor: 20_000, valueInrMinor: 1_660_000 }],
      }),
      adjusted({ adjustmentId: 'a1', programmes: [] }),
    ]);
    expect([...fold.totals.values()]).toEqual([
      expect.objectContaining({
        valueUsdMinor: 30_000n,
        valueInrMinor: 2_490_000n,
        orders: 2,
        returns: 1,
        returnsUsdMinor: 5_000n,
        returnsInrMinor: 415_000n,
      }),
    ]);
    expect([...fold.byDestination.values()].map((d) => [d.destinationCountry, d.valueUsdMinor, d.orders])).toEqual([
      ['US', 10_000n, 1],
      ['GB', 20_000n, 1],
    ]);
    expect([...fold.byHsChapter.values()].map((c) => [c.hsChapter, c.valueUsdMinor, c.valueInrMinor])).toEqual([
      ['69', 30_000n, 2_490_000n],
      ['44', 0n, 0n],
    ]);
    // Only recorded exports make a seller an exporting seller of a month.
    expect(fold.sellerMonths.size).toBe(1);
  });

  it('puts a return in the month the goods left, not the month of the return', () => {
    const fold = foldEnrolled([adjusted({ adjustmentId: 'a1', programmes: [], shipmentDate: '2026-08-31', adjustmentDate: '2026-10-02' })]);
    expect([...fold.totals.keys()]).toEqual(['*|09|2026-08-01']);
  });

  it('keeps one seller-month per seller and cell however many exports it has there', () => {
    const fold = foldEnrolled([
      recorded({ exportId: 'e1', programmes: [] }),
      recorded({ exportId: 'e2', programmes: [] }),
      recorded({ exportId: 'e3', programmes: [], sellerId: OTHER }),
    ]);
    expect([...fold.sellerMonths.values()]).toEqual([
      { programme: '*', stateCode: '09', month: '2026-09-01', sellerId: SELLER },
      { programme: '*', stateCode: '09', month: '2026-09-01', sellerId: OTHER },
    ]);
  });

  it("keeps each seller's net value and orders per programme, never under the all-programme total", () => {
    const fold = foldEnrolled([
      recorded({ exportId: 'e1' }),
      recorded({ exportId: 'e2', programmes: ['walmart-vriddhi'], valueUsdMinor: 1_000, valueInrMinor: 83_000 }),
      adjusted({ adjustmentId: 'a1' }),
      recorded({ exportId: 'e3', programmes: [], sellerId: OTHER }),
    ]);
    expect([...fold.bySeller.values()]).toEqual([
      { sellerId: SELLER, programme: 'walmart-vriddhi', valueUsdMinor: 11_000n, valueInrMinor: 913_000n, orders: 2 },
      { sellerId: SELLER, programme: 'flipkart-walmart-odop-up', valueUsdMinor: 10_000n, valueInrMinor: 830_000n, orders: 1 },
    ]);
  });

  it('adds money as bigint, beyond the safe integer range', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const line = { lineId: 'l1', hsCode: '69120010', quantity: 1, valueMinor: big, valueUsdMinor: big, valueInrMinor: big };
    const fold = foldEnrolled([
      recorded({ exportId: 'e1', programmes: [], valueUsdMinor: big, valueInrMinor: big, lines: [line] }),
      recorded({ exportId: 'e2', programmes: [], valueUsdMinor: big, valueInrMinor: big, lines: [line] }),
    ]);
    expect(fold.totals.get('*|09|2026-09-01')?.valueUsdMinor).toBe(2n * BigInt(big));
  });

  it('keeps the first copy of a fact re-sent under the same business id', () => {
    const facts = uniqueFacts([recorded({ exportId: 'e1' }), recorded({ exportId: 'e1', valueUsdMinor: 1 }), adjusted({ adjustmentId: 'e1' })]);
    expect(facts.map((f) => [f.kind, f.payload.valueUsdMinor])).toEqual([
      ['recorded', 15_000],
      ['adjusted', -5_000],
    ]);
  });
});
