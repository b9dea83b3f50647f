import { randomUUID } from 'node:crypto';
import {
  ExportAdjusted,
  ExportAdjustedV1,
  ExportRecorded,
  ExportRecordedV1,
  ProgrammeDefined,
  ProgrammeDefinedV1,
  ProgrammeUpdated,
  ProgrammeUpdatedV1,
  toKafkaHeaders,
  Topics,
} from '@niryat/contracts';
import { combineConsumers } from '@niryat/messaging';
import { ConsumerTestBed, interleave, latestPerKey, ProducedRecord } from './consumer-test-bed';
import { REPORTING_MIGRATIONS } from '../src/database/migrations';
import { PROGRESS_GROUP, progressConsumerOptions } from '../src/progress/progress.consumer';
import { ProgrammeMilestones, ProgrammeProgressView } from '../src/progress/progress.projection';
import { ReportingViews } from '../src/reporting-views';

const AGS = 'amazon-global-selling';
const WV = 'walmart-vriddhi';
/** S1 sells through Amazon Global Selling only, S2 is in both programmes, S3 only in Walmart Vriddhi. */
const S1 = { sellerId: randomUUID(), programmes: [AGS] };
const S2 = { sellerId: randomUUID(), programmes: [AGS, WV] };
const S3 = { sellerId: randomUUID(), programmes: [WV] };

type ScriptRecord = ProducedRecord;

const CENTS = 100;
const MILLION = 1_000_000;

function programme(type: string, snapshot: Partial<ProgrammeDefinedV1> & { programmeId: string; version: number }): ScriptRecord {
  const payload: ProgrammeDefinedV1 | ProgrammeUpdatedV1 = Object.assign(new ProgrammeDefinedV1(), {
    partner: 'amazon',
    kind: 'export',
    allIndia: true,
    states: [],
    changedAt: '2015-04-20T10:00:00Z',
    changedBy: 'admin@niryat.test',
    ...snapshot,
  });
  return {
    topic: Topics.onboardingProgramme,
    key: snapshot.programmeId,
    value: JSON.stringify(payload),
    headers: toKafkaHeaders({ id: randomUUID(), type, source: '/niryat/onboarding', time: new Date().toISOString() }),
  };
}

function facts(seller: typeof S1, exportId: string, shipmentDate: string, usdMillions: number) {
  const cents = usdMillions * MILLION * CENTS;
  return {
    exportId,
    partner: 'amazon',
    orderId: `order-${exportId.slice(0, 8)}`,
    sellerId: seller.sellerId,
    stateCode: '09',
    district: 'Moradabad',
    classification: 'small',
    programmes: seller.programmes,
    destinationCountry: 'US',
    shipmentDate,
    currency: 'USD',
    lines: [{ lineId: 'line-1', hsCode: '69120010', quantity: cents < 0 ? -1 : 1, valueMinor: cents, valueUsdMinor: cents, valueInrMinor: cents * 83 }],
    valueMinor: cents,
    valueUsdMinor: cents,
    valueInrMinor: cents * 83,
    fxRate: { currency: 'USD', effectiveFrom: shipmentDate, inrPerUnit: '83' },
    usdRate: { currency: 'USD', effectiveFrom: shipmentDate, inrPerUnit: '83' },
  };
}

function exportRecord(type: string, payload: object & { sellerId: string }): ScriptRecord {
  return {
    topic: Topics.exports,
    key: payload.sellerId,
    value: JSON.stringify(payload),
    headers: toKafkaHeaders({ id: randomUUID(), type, source: '/niryat/exports', time: new Date().toISOString() }),
  };
}

function recorded(seller: typeof S1, exportId: string, shipmentDate: string, usdMillions: number): ScriptRecord {
  const payload: ExportRecordedV1 = Object.assign(new ExportRecordedV1(), facts(seller, exportId, shipmentDate, usdMillions), {
    recordedAt: `${shipmentDate}T12:00:00Z`,
  });
  return exportRecord(ExportRecorded.type, payload);
}

function adjusted(seller: typeof S1, exportId: string, shipmentDate: string, usdMillions: number, adjustmentDate: string): ScriptRecord {
  const payload: ExportAdjustedV1 = Object.assign(new ExportAdjustedV1(), facts(seller, exportId, shipmentDate, usdMillions), {
    adjustmentId: randomUUID(),
    reason: 'return' as const,
    adjustmentDate,
    recordedAt: `${adjustmentDate}T10:00:00Z`,
  });
  return exportRecord(ExportAdjusted.type, payload);
}

const AGS_V1 = programme(ProgrammeDefined.type, {
  programmeId: AGS,
  version: 1,
  name: 'Amazon Global Selling',
  startsOn: '2015-05-01',
  exportTargetUsd: 10_000 * MILLION,
  exportTargetBasis: 'cumulative',
  exportTargetDeadline: '2025-12-31',
  milestoneStepUsd: 1_000 * MILLION,
});
const AGS_V2 = programme(ProgrammeUpdated.type, { ...JSON.parse(AGS_V1.value), version: 2, name: 'Amazon Global Selling India' });
const WV_V1 = programme(ProgrammeDefined.type, {
  programmeId: WV,
  version: 1,
  partner: 'walmart',
  // Vriddhi compares what sellers export on every marketplace.
  marketplaces: ['amazon', 'flipkart', 'walmart'],
  name: 'Walmart Vriddhi',
  startsOn: '2017-01-01',
  exportTargetUsd: 500 * MILLION,
  exportTargetBasis: 'annual',
});
const E_MAY_2018 = randomUUID();
const E_OCT_2019 = randomUUID();

/**
 * The Amazon Global Selling story in USD millions. AGS cumulative: 300, 700, 1 030 (the May 2018
 * shipment of 350 less a 20 return, on its shipment day), 1 530, 2 030, 2 300. S3's 900 counts
 * only in Walmart Vriddhi.
 */
const SCRIPT: ScriptRecord[] = [
  AGS_V1,
  WV_V1,
  recorded(S1, randomUUID(), '2016-03-15', 300),
  recorded(S2, randomUUID(), '2017-06-30', 400),
  recorded(S3, randomUUID(), '2017-08-01', 900),
  recorded(S1, E_MAY_2018, '2018-05-20', 350),
  adjusted(S1, E_MAY_2018, '2018-05-20', -20, '2018-07-01'),
  AGS_V2,
  recorded(S2, randomUUID(), '2018-11-10', 500),
  recorded(S1, E_OCT_2019, '2019-10-14', 500),
  recorded(S2, randomUUID(), '2020-02-10', 270),
];

const AS_OF = '2026-11-21';

// Worked out by hand from the script above.
const EXPECTED_MILESTONES: ProgrammeMilestones = {
  programme: AGS,
  name: 'Amazon Global Selling India',
  startsOn: '2015-05-01',
  milestoneStepUsd: '1000000000.00',
  cumulativeUsd: '2300000000.00',
  milestones: [
    // 1 May 2015 → 1 May 2018: 365 + 366 + 365 = 1 096 days, + 19 to 20 May: three years for the first billion.
    { milestone: 1, thresholdUsd: '1000000000.00', reachedOn: '2018-05-20', daysSincePrevious: 1_115, droppedBelowOn: null, held: true },
    // 20 May 2018 → 20 May 2019: 365, + 31 + 30 + 31 + 31 + 24 to 14 Oct: 512 days, under eighteen months for the next.
    { milestone: 2, thresholdUsd: '2000000000.00', reachedOn: '2019-10-14', daysSincePrevious: 512, droppedBelowOn: null, held: true },
  ],
};

const EXPECTED_PROGRESS: ProgrammeProgressView[] = [
  {
    programme: AGS,
    name: 'Amazon Global Selling India',
    startsOn: '2015-05-01',
    basis: 'cumulative',
    exportTargetUsd: '10000000000.00',
    deadline: '2025-12-31',
    daysToDeadline: -325, // 31 Dec 2025 → 21 Nov 2026: 334 − 9
    milestoneStepUsd: '1000000000.00',
    cumulativeUsd: '2300000000.00',
    yearly: [
      { year: 2016, valueUsd: '300000000.00' },
      { year: 2017, valueUsd: '400000000.00' },
      { year: 2018, valueUsd: '830000000.00' }, // 350 − 20 + 500
      { year: 2019, valueUsd: '500000000.00' },
      { year: 2020, valueUsd: '270000000.00' },
    ],
    target: { basis: 'cumulative', year: null, yearToDate: false, achievedUsd: '2300000000.00', targetUsd: '10000000000.00', percent: '23.0' },
    milestonesReached: 2,
    latestMilestone: EXPECTED_MILESTONES.milestones[1],
  },
  {
    programme: WV,
    name: 'Walmart Vriddhi',
    startsOn: '2017-01-01',
    basis: 'annual',
    exportTargetUsd: '500000000.00',
    deadline: null,
    daysToDeadline: null,
    milestoneStepUsd: null,
    cumulativeUsd: '2070000000.00', // 400 + 900 + 500 + 270
    yearly: [
      { year: 2017, valueUsd: '1300000000.00' },
      { year: 2018, valueUsd: '500000000.00' },
      { year: 2020, valueUsd: '270000000.00' },
    ],
    // Nothing shipped in 2026: the latest full year with value, 2020, against the annual target.
    target: { basis: 'annual', year: 2020, yearToDate: false, achievedUsd: '270000000.00', targetUsd: '500000000.00', percent: '54.0' },
    milestonesReached: 0,
    latestMilestone: null,
  },
];

/** The reporting progress consumer on its own schema and topic namespace. */
class ProgressHarness extends ConsumerTestBed {
  readonly views = new ReportingViews(this.schema);
  readonly projection = this.views.progress;

  constructor(label: string) {
    super(label, REPORTING_MIGRATIONS);
  }

  consumeScript(records: ScriptRecord[], maxChunkSize?: number): Promise<void> {
    // The catalogue's part first, as in the service: progress reads the programmes it keeps.
    const parts = [this.views.catalogueConsumer(maxChunkSize), progressConsumerOptions(this.projection, this.schema, maxChunkSize)];
    return this.consume(combineConsumers(PROGRESS_GROUP, parts), records);
  }

  async expectStory(): Promise<void> {
    expect(await this.projection.readMilestones(this.dataSource.manager, AGS)).toEqual(EXPECTED_MILESTONES);
    expect(await this.projection.read(this.dataSource.manager, AS_OF)).toEqual(EXPECTED_PROGRESS);
  }
}

describe('programme progress: milestones, yearly value, target (real Kafka and Postgres)', () => {
  const harnesses: ProgressHarness[] = [];
  afterAll(async () => {
    for (const harness of harnesses) await harness.tearDown();
  });

  it('tells the Amazon Global Selling story: three years for the first billion, under eighteen months for the next', async () => {
    const harness = await new ProgressHarness('prog-story').setUp();
    harnesses.push(harness);
    await harness.consumeScript(SCRIPT);

    await harness.expectStory();
    expect(await harness.projection.readMilestones(harness.dataSource.manager, 'no-such-programme')).toBeNull();
  });

  it('gives the same result when every record arrives twice, an export and an old programme version are re-sent, and keys interleave', async () => {
    const harness = await new ProgressHarness('prog-dupes').setUp();
    harnesses.push(harness);
    const resend = (r: ScriptRecord): ScriptRecord => ({ ...r, headers: { ...r.headers, ce_id: randomUUID() } });
    // The October 2019 export re-sent as a new event (must not count twice), and AGS version 1
    // re-sent after version 2 (must not win over it).
    const resentExport = resend(SCRIPT.find((r) => r.value.includes(E_OCT_2019)) as ScriptRecord);
    const doubled = [...SCRIPT, ...SCRIPT, resentExport, resend(AGS_V1)];
    const shuffled = interleave(doubled, 20_151_001);
    expect(shuffled).not.toEqual(doubled);
    await harness.consumeScript(shuffled, 2);

    await harness.expectStory();
  });

  it('republishes each changed programme on the compacted progress topic: the latest record equals the view', async () => {
    const harness = await new ProgressHarness('progress-topic').setUp();
    harnesses.push(harness);
    await harness.consumeScript(SCRIPT);
    const latest = latestPerKey(await harness.publishOutbox(Topics.reportingProgrammeProgress));
    const views = await harness.projection.read(harness.dataSource.manager, AS_OF);
    expect([...latest.keys()].sort()).toEqual(views.map((v) => v.programme).sort());
    for (const view of views) {
      expect(latest.get(view.programme)).toMatchObject({
        name: view.name,
        cumulativeUsdMinor: String(BigInt(view.cumulativeUsd.replace('.', ''))), // "2300000000.00" dollars → cents, exactly
        milestonesCrossed: view.milestonesReached,
      });
    }
  });
});
