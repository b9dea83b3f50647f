import type { ExportFactsV1, Marketplace } from '@niryat/contracts';
import { ALL_PROGRAMMES, applyChange, attribute, CellTotals, cellChanges, factIdOf, monthOf } from './export-totals-cells';

const AGS = 'amazon-global-selling';
const ODOP = 'flipkart-walmart-odop-up';
const VRIDDHI = 'walmart-vriddhi';
const CATALOGUE = new Map<string, readonly Marketplace[]>([
  [AGS, ['amazon']],
  [ODOP, ['flipkart', 'walmart']],
  [VRIDDHI, ['amazon', 'flipkart', 'walmart']],
]);
const lookup = (programme: string) => CATALOGUE.get(programme);

const facts = (overrides: Partial<ExportFactsV1> = {}): ExportFactsV1 =>
  ({
    exportId: 'E1A2B3C4-0000-4000-8000-000000000001',
    partner: 'walmart',
    sellerId: '6f1c2a57-0c4e-4a41-9d0e-1f2a3b4c5d6e',
    stateCode: '09',
    programmes: [VRIDDHI, ODOP],
    shipmentDate: '2026-09-30',
    valueUsdMinor: 15_000,
    valueInrMinor: 1_245_000,
    ...overrides,
  }) as ExportFactsV1;

const zero: CellTotals = { valueUsdMinor: 0n, valueInrMinor: 0n, orders: 0, exportingSellers: 0, returns: 0, returnsUsdMinor: 0n, returnsInrMinor: 0n };

describe('naive reporting: the export_totals rows one export event changes (reporting\u2019s rules)', () => {
  it('attributes to the seller\u2019s programmes that take the order\u2019s marketplace, in byte order, each once', () => {
    expect(attribute({ partner: 'walmart', programmes: [VRIDDHI, ODOP, ODOP] }, lookup)).toEqual({ programmes: [ODOP, VRIDDHI], unknown: [] });
    expect(attribute({ partner: 'amazon', programmes: [AGS, ODOP] }, lookup)).toEqual({ programmes: [AGS], unknown: [] });
    expect(attribute({ partner: 'walmart', programmes: [AGS] }, lookup)).toEqual({ programmes: [], unknown: [] });
  });

  it('names a programme the catalogue does not know, and still decides the others', () => {
    expect(attribute({ partner: 'amazon', programmes: ['new-programme', AGS] }, lookup)).toEqual({ programmes: [AGS], unknown: ['new-programme'] });
  });

  it('counts a recorded export in each attributed programme and once in "*", in its shipment month, as one order', () => {
    const changes = cellChanges('recorded', facts(), [ODOP, VRIDDHI]);
    expect(changes.map((c) => c.programme)).toEqual([ODOP, VRIDDHI, ALL_PROGRAMMES]);
    for (const change of changes) {
      expect(change).toEqual({
        programme: change.programme,
        stateCode: '09',
        month: '2026-09-01',
        valueUsdMinor: 15_000n,
        valueInrMinor: 1_245_000n,
        orders: 1,
        returns: 0,
        returnsUsdMinor: 0n,
        returnsInrMinor: 0n,
      });
    }
  });

  it('counts a seller with no programme (or none taking the marketplace) in "*" only', () => {
    expect(cellChanges('recorded', facts({ programmes: [] }), []).map((c) => c.programme)).toEqual([ALL_PROGRAMMES]);
  });

  it('subtracts an adjustment in the shipment month, not the return\u2019s: one return, no order, returns at their absolute value', () => {
    const adjustment = { ...facts({ valueUsdMinor: -5_000, valueInrMinor: -415_000 }), adjustmentId: 'A1', adjustmentDate: '2026-10-12' };
    expect(cellChanges('adjusted', adjustment, [VRIDDHI])[0]).toEqual({
      programme: VRIDDHI,
      stateCode: '09',
      month: '2026-09-01',
      valueUsdMinor: -5_000n,
      valueInrMinor: -415_000n,
      orders: 0,
      returns: 1,
      returnsUsdMinor: 5_000n,
      returnsInrMinor: 415_000n,
    });
  });

  it('adds changes to a row exactly past 2^53, and an exporting seller only when the seller is new to the row', () => {
    const huge = cellChanges('recorded', facts({ valueUsdMinor: 9_000_000_000_000, valueInrMinor: 8_300_000_000_000_000 }), [])[0];
    const once = applyChange(zero, huge, true);
    const twice = applyChange(once, huge, false);
    expect(twice).toEqual({ ...zero, valueUsdMinor: 18_000_000_000_000n, valueInrMinor: 16_600_000_000_000_000n, orders: 2, exportingSellers: 1 });
    expect(twice.valueInrMinor > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('keys a fact by its business id in lower case: the export for a recorded one, the adjustment for a correction', () => {
    expect(factIdOf('recorded', facts())).toBe('e1a2b3c4-0000-4000-8000-000000000001');
    expect(factIdOf('adjusted', { ...facts(), adjustmentId: 'ABC' } as ExportFactsV1 & { adjustmentId: string })).toBe('abc');
    expect(monthOf('2026-02-28')).toBe('2026-02-01');
  });
});
