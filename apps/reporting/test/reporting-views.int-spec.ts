import { randomUUID } from 'node:crypto';
import {
  CertificationAwarded,
  ExportAdjusted,
  ExportRecorded,
  LearnerEnrolled,
  ProgrammeDefined,
  SellerApproved,
  SellerEnrolled,
  SellerRegistered,
  toKafkaHeaders,
  Topics,
} from '@niryat/contracts';
import { eventually, testInfra } from '@niryat/testing';
import { ConsumerTestBed, interleave, latestPerKey, ProducedRecord } from './consumer-test-bed';
import { REPORTING_MIGRATIONS } from '../src/database/migrations';
import { readTrainingImpact, TrainingImpactRow } from '../src/impact/training-impact';
import { RebuildProgress, rebuildReportingViews } from '../src/rebuild/rebuild-views';
import { REPORTING_GROUP, ReportingViews } from '../src/reporting-views';

const P1 = 'walmart-vriddhi';
const P2 = 'flipkart-walmart-odop-up';
/**
 * A: Uttar Pradesh, P1 and P2, trains and is certified in P1, exports in both (a return of part of one).
 * B: Uttar Pradesh, P1, trains, not certified, exports once.
 * C: Haryana, P1, certified, never exports.
 * D: Maharashtra, P2, no training, exports once.
 */
const [A, B, C, D] = Array.from({ length: 4 }, () => randomUUID());
const STATES: Record<string, string> = { [A]: '09', [B]: '09', [C]: '06', [D]: '27' };
const INR_PER_USD = 83;

let clock = Date.parse('2026-08-01T09:00:00Z');
const at = () => new Date((clock += 60_000)).toISOString();

function record(topic: string, type: string, key: string, payload: object): ProducedRecord {
  return { topic, key, value: JSON.stringify(payload), headers: toKafkaHeaders({ id: randomUUID(), type, source: '/niryat/test', time: at() }) };
}

const programme = (programmeId: string, name: string, partner: string, marketplaces: string[]) =>
  record(Topics.onboardingProgramme, ProgrammeDefined.type, programmeId, {
    programmeId,
    version: 1,
    name,
    partner,
    marketplaces,
    kind: 'both',
    allIndia: true,
    states: [],
    startsOn: '2026-01-01',
    exportTargetUsd: 5_000,
    exportTargetBasis: 'cumulative',
    exportTargetDeadline: '2027-03-31',
    milestoneStepUsd: 1_000,
    changedAt: at(),
    changedBy: 'admin@niryat.test',
  });

const seller = (id: string) => ({ sellerId: id, stateCode: STATES[id], district: 'Moradabad', classification: 'small' });
const onboarding = (type: string, id: string, extra: object) => record(Topics.onboardingSeller, type, id, { ...seller(id), ...extra });
const joins = (id: string, programmes: string[]) => [
  onboarding(SellerRegistered.type, id, { programmes, registeredAt: at() }),
  onboarding(SellerApproved.type, id, { programmes, approvedAt: at(), approvedBy: 'reviewer-1' }),
  ...programmes.map((programmeId) => onboarding(SellerEnrolled.type, id, { programmeId, enrolledAt: at(), enrolledBy: 'system' })),
];

const COHORT = randomUUID();
const training = (type: string, id: string, extra: object) =>
  record(Topics.training, type, id, { sellerId: id, cohortId: COHORT, programmeId: P1, stateCode: STATES[id], by: 'system', ...extra });
const learns = (id: string) => training(LearnerEnrolled.type, id, { enrolledAt: at() });
const certified = (id: string, serial: number) =>
  training(CertificationAwarded.type, id, { certificateNumber: `NIRYAT-VRD-2026-${String(serial).padStart(6, '0')}`, awardedAt: at() });

function exportFacts(id: string, programmes: string[], exportId: string, shipmentDate: string, usdCents: number, destinationCountry: string) {
  const rate = { currency: 'USD', effectiveFrom: '2026-08-01', inrPerUnit: String(INR_PER_USD) };
  return {
    exportId,
    partner: 'walmart',
    orderId: `order-${exportId.slice(0, 8)}`,
    ...seller(id),
    programmes,
    destinationCountry,
    shipmentDate,
    currency: 'USD',
    lines: [
      { lineId: 'line-1', hsCode: '74198030', quantity: usdCents < 0 ? -1 : 1, valueMinor: usdCents, valueUsdMinor: usdCents, valueInrMinor: usdCents * INR_PER_USD },
    ],
    valueMinor: usdCents,
    valueUsdMinor: usdCents,
    valueInrMinor: usdCents * INR_PER_USD,
    fxRate: rate,
    usdRate: rate,
  };
}
const exported = (id: string, programmes: string[], exportId: string, shipmentDate: string, usdCents: number, destination = 'US') =>
  record(Topics.exports, ExportRecorded.type, id, { ...exportFacts(id, programmes, exportId, shipmentDate, usdCents, destination), recordedAt: at() });
const returned = (id: string, programmes: string[], exportId: string, shipmentDate: string, usdCents: number) =>
  record(Topics.exports, ExportAdjusted.type, id, {
    ...exportFacts(id, programmes, exportId, shipmentDate, usdCents, 'US'),
    adjustmentId: randomUUID(),
    reason: 'return',
    adjustmentDate: '2026-10-15',
    recordedAt: at(),
  });

const A_SEPTEMBER = randomUUID();
const B_SEPTEMBER = randomUUID();
/** The first part of the history; the rebuild test produces the second part while it rebuilds. */
const PART_1: ProducedRecord[] = [
  programme(P1, 'Walmart Vriddhi', 'walmart', ['amazon', 'flipkart', 'walmart']),
  programme(P2, 'Flipkart-Walmart ODOP Uttar Pradesh', 'flipkart', ['flipkart', 'walmart']),
  ...joins(A, [P1, P2]),
  ...joins(B, [P1]),
  ...joins(C, [P1]),
  learns(A),
  learns(B),
  learns(C),
  exported(A, [P1, P2], A_SEPTEMBER, '2026-09-10', 100_000, 'US'),
  exported(B, [P1], B_SEPTEMBER, '2026-09-12', 30_000, 'GB'),
];
const PART_2: ProducedRecord[] = [
  ...joins(D, [P2]),
  exported(D, [P2], randomUUID(), '2026-10-02', 70_000, 'AE'),
  certified(A, 1),
  exported(A, [P1, P2], randomUUID(), '2026-10-05', 50_001, 'US'),
  returned(A, [P1, P2], A_SEPTEMBER, '2026-09-10', -20_000),
  certified(C, 2),
  // B's export sent again as a new event (new ce_id, past the inbox): counted once in every view.
  exported(B, [P1], B_SEPTEMBER, '2026-09-12', 30_000, 'GB'),
];
const SCRIPT = [...PART_1, ...PART_2];

// Worked out by hand from the script (programmes in byte order: P2 < P1).
const impact = (programme: string, certified: boolean, sellers: number, exportingSellers: number, orders: number, usdCents: number, perSeller: number): TrainingImpactRow => ({
  programme,
  certified,
  sellers,
  exportingSellers,
  orders,
  valueUsdMinor: String(usdCents),
  valueInrMinor: String(usdCents * INR_PER_USD),
  valuePerSellerUsdMinor: String(perSeller),
});
const EXPECTED_IMPACT: TrainingImpactRow[] = [
  // A (not certified in P2) 1,000.00 − 200.00 + 500.01 and D 700.00: 2,000.01 over two sellers.
  impact(P2, false, 2, 2, 3, 200_001, 100_001), // 100,000.5 cents rounds half away from zero
  impact(P1, false, 1, 1, 1, 30_000, 30_000), // B
  impact(P1, true, 2, 1, 2, 130_001, 65_001), // A's 1,300.01 and C's nothing
];

/** The reporting consumer on its own schema, as the service runs it. */
class ReportingBed extends ConsumerTestBed {
  readonly views = new ReportingViews(this.schema);

  constructor(label: string) {
    super(label, REPORTING_MIGRATIONS);
  }

  consumeScript(records: readonly ProducedRecord[], chunkSize?: number): Promise<void> {
    return this.consumeAll([this.views.consumer(chunkSize)], records);
  }

  /** Every view as the API reads it. */
  async snapshot() {
    const m = this.dataSource.manager;
    const v = this.views;
    return {
      approvedSellers: await v.approvedSellers.read(m),
      exportsByDestination: await v.exportTotals.read(m, { by: 'destination' }),
      exportsByHsChapter: await v.exportTotals.read(m, { by: 'hs-chapter' }),
      funnel: await v.funnel.readFunnel(m),
      training: await v.funnel.readTraining(m),
      progress: await v.progress.read(m, '2026-12-31'),
      milestones: [await v.progress.readMilestones(m, P1), await v.progress.readMilestones(m, P2)],
      impact: await readTrainingImpact(m),
    };
  }
}

describe('every reporting view from one scripted history of onboarding, exports and training (real Kafka and Postgres)', () => {
  let reference: Awaited<ReturnType<ReportingBed['snapshot']>>;

  it('gives the exact training impact, and every view its rows, from the history delivered once', async () => {
    const bed = await new ReportingBed('views-once').setUp();
    try {
      await bed.consumeScript(SCRIPT);
      reference = await bed.snapshot();
      expect(reference.impact).toEqual(EXPECTED_IMPACT);
      expect(await readTrainingImpact(bed.dataSource.manager, P1)).toEqual(EXPECTED_IMPACT.slice(1));
      // The other views agree with the same history (their own specs check them row by row).
      const all = reference.exportsByDestination.filter((r) => r.programme === '*');
      expect(all.reduce((sum, r) => sum + BigInt(r.valueUsdMinor), 0n)).toBe(100_000n + 30_000n + 70_000n + 50_001n - 20_000n);
      expect(reference.funnel.find((r) => r.programme === P1 && r.stateCode === '09')).toMatchObject({ registered: 2, approved: 2, enrolled: 2, exporting: 2 });
      expect(reference.training.find((r) => r.programme === P1 && r.stateCode === '06')).toMatchObject({ enrolled: 1, certified: 1 });
      expect(reference.approvedSellers.totalApprovedSellers).toBe(4);
      // Progress counts the same exports as the totals (steps of USD 1,000): P1 is A's and B's, P2 is A's and D's.
      expect(reference.progress.map((p) => [p.programme, p.cumulativeUsd, p.milestonesReached])).toEqual([
        [P2, '2000.01', 2],
        [P1, '1600.01', 1],
      ]);
    } finally {
      await bed.tearDown();
    }
  });

  it('gives the same rows in every view when every record arrives twice, interleaved differently, in small chunks', async () => {
    const bed = await new ReportingBed('views-twice').setUp();
    try {
      await bed.consumeScript(interleave([...SCRIPT, ...SCRIPT], 20261121), 3);
      expect(await bed.snapshot()).toEqual(reference);
    } finally {
      await bed.tearDown();
    }
  });

  it('rebuilds every view from the log while the live consumers run, swaps it in with no failed query, and republishes the rows', async () => {
    const bed = await new ReportingBed('views-rebuild').setUp();
    let stopLive: (() => Promise<void>) | undefined;
    let reading = true;
    const readErrors: string[] = [];
    let reads = 0;
    try {
      await bed.consumeScript(PART_1);
      // The live service: its consumers keep running, and queries keep coming, during the whole rebuild.
      stopLive = await bed.startConsumers([bed.views.consumer()]);
      const reader = (async () => {
        while (reading) {
          await bed.snapshot().then(
            () => (reads += 1),
            (error: Error) => readErrors.push(error.message),
          );
        }
      })();
      const progress: RebuildProgress[] = [];
      const rebuild = rebuildReportingViews({
        databaseUrl: testInfra().databaseUrl,
        kafka: bed.kafka,
        liveSchema: bed.schema,
        chunkSize: 1,
        progressIntervalMs: 50,
        onProgress: (p) => progress.push(p),
        stamp: '1',
        // The live consumers move on while the replay is held back: the swap must wait for the rebuild to reach them.
        afterReplay: async () => {
          const hold = bed.dataSource.createQueryRunner();
          await hold.connect();
          await hold.startTransaction();
          try {
            await hold.query(`LOCK TABLE "${bed.schema}_rebuild_1".consumer_offsets IN ACCESS EXCLUSIVE MODE`);
            await bed.produce(PART_2);
            await eventually(async () => expect(await bed.appliedRecords(REPORTING_GROUP)).toBe(SCRIPT.length));
          } finally {
            await hold.rollbackTransaction();
            await hold.release();
          }
        },
      });
      const result = await rebuild;

      // The live consumers carry on from the rebuilt offsets: the rest of the history lands exactly once.
      await eventually(async () => expect(await bed.snapshot()).toEqual(reference), { timeoutMs: 60_000 });
      reading = false;
      await reader;
      expect(readErrors).toEqual([]);
      expect(reads).toBeGreaterThan(0);

      expect(result.replacedSchema).toBeNull();
      const leftovers: { nspname: string }[] = await bed.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${bed.schema}\\_%`]);
      expect(leftovers).toEqual([]);
      const phases = [...new Set(progress.map((p) => p.phase))];
      expect(phases.slice(0, 2)).toEqual(['catalogue', 'replaying']);
      expect(phases.at(-1)).toBe('done');
      expect(progress.every((p) => p.applied <= p.total)).toBe(true);
      expect(progress.at(-1)?.applied).toBeGreaterThanOrEqual(PART_1.length);

      // The rebuild replaced its replay's intermediate records with one snapshot of every row.
      const topic = latestPerKey(await bed.publishOutbox(Topics.reportingExportTotals));
      const rows = await bed.views.exportTotals.read(bed.dataSource.manager);
      expect(new Map(rows.map((r) => [`${r.programme}|${r.stateCode}|${r.month}`, r.valueUsdMinor]))).toEqual(
        new Map([...topic].map(([key, v]) => [key, String(v.valueUsdMinor)])),
      );
    } finally {
      reading = false;
      await stopLive?.();
      await bed.tearDown();
    }
  });
});
