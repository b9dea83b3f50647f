import { ExportAdjustedV1, ExportRecordedV1 } from '@niryat/contracts';
import { ExportFact } from '../export-totals/export-totals.fold';
import { foldDaily, latestSnapshots } from './progress.fold';

const AGS = 'amazon-global-selling';
const WV = 'walmart-vriddhi';

function fact(kind: ExportFact['kind'], programmes: string[], shipmentDate: string, valueUsdMinor: number): ExportFact {
  const payload = { exportId: 'e1', adjustmentId: 'a1', programmes, shipmentDate, valueUsdMinor };
  return kind === 'recorded' ? { kind, payload: payload as unknown as ExportRecordedV1 } : { kind, payload: payload as unknown as ExportAdjustedV1 };
}

describe('progress fold', () => {
  it('adds an export to each of its programmes on its shipment day, a correction as a negative delta on the same day', () => {
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
