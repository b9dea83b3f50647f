import { ExportAdjustedV1, ExportRecordedV1 } from '@niryat/contracts';
import { AttributedFact } from '../attribution/export-attribution';
import { latestSnapshots } from '../attribution/programme-catalogue';
import { ExportFact } from '../export-totals/export-totals.fold';
import { foldDaily } from './progress.fold';

const AGS = 'amazon-global-selling';
const WV = 'walmart-vriddhi';

/** A fact attributed to `programmes` (the seller enrolled in more: attribution decides, not this fold). */
function fact(kind: ExportFact['kind'], programmes: string[], shipmentDate: string, valueUsdMinor: number): AttributedFact {
  const payload = { exportId: 'e1', adjustmentId: 'a1', programmes: [AGS, WV, 'flipkart-walmart-odop-up'], shipmentDate, valueUsdMinor };
  const exported: ExportFact =
    kind === 'recorded' ? { kind, payload: payload as unknown as ExportRecordedV1 } : { kind, payload: payload as unknown as ExportAdjustedV1 };
  return { fact: exported, programmes, countsInAll: true };
}

describe('progress fold', () => {
  it('adds an export to each programme it is attributed to on its shipment day, a correction as a negative delta on the same day', () => {
    const deltas = foldDaily([
      fact('recorded', [AGS, WV], '2018-05-20', 35_000),
      fact('recorded', [AGS], '2018-05-20', 1_000),
      fact('adjusted', [AGS], '2018-05-20', -2_000),
      fact('recorded', [], '2018-05-21', 9_999), // in no programme: counts nowhere here
    ]);
    expect([...deltas.values()]).toEqual([
      { programme: AGS, day: '2018-05-20', valueUsdMinor: 34_000n },
      { programme: WV, day: '2018-05-20', valueUsdMinor: 35_000n },
    ]);
  });

  it('keeps the highest version of each programme in a batch', () => {
    const snapshots = [
      { programmeId: AGS, version: 2, name: 'b' },
      { programmeId: AGS, version: 3, name: 'c' },
      { programmeId: WV, version: 1, name: 'w' },
      { programmeId: AGS, version: 1, name: 'a' },
    ];
    expect(latestSnapshots(snapshots).map((s) => s.name)).toEqual(['c', 'w']);
  });
});
