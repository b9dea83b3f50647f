import { randomUUID } from 'node:crypto';
import {
  CertificationAwarded,
  ExportRecorded,
  LearnerEnrolled,
  LearnerWithdrawn,
  SellerApproved,
  SellerEnrolled,
  SellerProfileChanged,
  SellerRegistered,
  SellerRejected,
  SellerWithdrawn,
  toKafkaHeaders,
  Topics,
} from '@niryat/contracts';
import { seededRandom } from '@niryat/testing';
import { ConsumerTestBed, givenEveryMarketplace, interleave, latestPerKey, ProducedRecord } from './consumer-test-bed';
import { REPORTING_MIGRATIONS } from '../src/database/migrations';
import { funnelConsumerOptions } from '../src/funnel/funnel-events.consumer';
import { FunnelFilters, SellerFunnelRow, TrainingFunnelRow } from '../src/funnel/funnel.projection';
import { ReportingViews } from '../src/reporting-views';

const P1 = 'walmart-vriddhi';
const P2 = 'flipkart-walmart-odop-up';
/**
 * A: Uttar Pradesh (09), applies for both programmes, approved for both, enrolled in both then
 *    withdrawn from P2, moves to Haryana (06), exports in P1, trains and is certified in P1.
 * B: Uttar Pradesh, P1 only: approved, enrolled, exports; trains in P1, enrols in P2 training and withdraws.
 * C: Maharashtra (27), applies for P2, rejected.
 * D: unknown to onboarding; trains and is certified in P2, from Tamil Nadu (33) by its training events.
 * E: Uttar Pradesh, P1: approved, never enrolled or exporting.
 */
const [A, B, C, D, E] = Array.from({ length: 5 }, () => randomUUID());

type Topic = (typeof Topics)[keyof typeof Topics];

type ScriptRecord = ProducedRecord;

let clock = Date.parse('2026-09-01T09:00:00Z');
/** Business times one minute apart, in script order. */
const at = () => new Date((clock += 60_000)).toISOString();

function record<P extends { sellerId: string }>(topic: Topic, type: string, payload: P): ScriptRecord {
  return {
    topic,
    key: payload.sellerId,
    value: JSON.stringify(payload),
    headers: toKafkaHeaders({ id: randomUUID(), type, source: '/niryat/test', time: new Date().toISOString() }),
  };
}

const seller = (sellerId: string, stateCode: string) => ({ sellerId, stateCode, district: 'Moradabad', classification: 'small' });
const onboarding = <P extends { sellerId: string }>(type: string, payload: P) => record(Topics.onboardingSeller, type, payload);

const registered = (id: string, state: string, programmes: string[]) =>
  onboarding(SellerRegistered.type, { ...seller(id, state), programmes, registeredAt: at() });
const approved = (id: string, state: string, programmes: string[]) =>
  onboarding(SellerApproved.type, { ...seller(id, state), programmes, approvedAt: at(), approvedBy: 'reviewer-1' });
const rejected = (id: string, state: string) =>
  onboarding(SellerRejected.type, { sellerId: id, stateCode: state, reason: 'incomplete', rejectedAt: at(), rejectedBy: 'reviewer-1' });
const enrolled = (id: string, state: string, programmeId: string) =>
  onboarding(SellerEnrolled.type, { ...seller(id, state), programmeId, enrolledAt: at(), enrolledBy: 'system' });
const withdrawn = (id: string, state: string, programmeId: string) =>
  onboarding(SellerWithdrawn.type, { ...seller(id, state), programmeId, reason: 'left', withdrawnAt: at(), withdrawnBy: 'system' });
const moved = (id: string, from: string, to: string) =>
  onboarding(SellerProfileChanged.type, {
    ...seller(id, to),
    previousStateCode: from,
    previousDistrict: 'Moradabad',
    previousClassification: 'small',
    changedAt: at(),
    changedBy: 'reviewer-1',
  });

function exported(id: string, state: string, programmes: string[]): ScriptRecord {
  const exportId = randomUUID();
  const line = { lineId: 'line-1', hsCode: '69120010', quantity: 1, valueMinor: 10_000, valueUsdMinor: 10_000, valueInrMinor: 830_000 };
  const rate = { currency: 'USD', effectiveFrom: '2026-09-01', inrPerUnit: '83' };
  return record(Topics.exports, ExportRecorded.type, {
    exportId,
    partner: 'walmart',
    orderId: `order-${exportId.slice(0, 8)}`,
    ...seller(id, state),
    programmes,
    destinationCountry: 'US',
    shipmentDate: '2026-09-10',
    currency: 'USD',
    lines: [line],
    valueMinor: 10_000,
    valueUsdMinor: 10_000,
    valueInrMinor: 830_000,
    fxRate: rate,
    usdRate: rate,
    recordedAt: at(),
  });
}

const COHORT = randomUUID();
const learner = (type: string, id: string, state: string, programmeId: string, extra: object) =>
  record(Topics.training, type, { sellerId: id, cohortId: COHORT, programmeId, stateCode: state, by: 'system', ...extra });
const learnerEnrolled = (id: string, state: string, p: string) => learner(LearnerEnrolled.type, id, state, p, { enrolledAt: at() });
const learnerWithdrawn = (id: string, state: string, p: string) => learner(LearnerWithdrawn.type, id, state, p, { reason: 'left', withdrawnAt: at() });
const certified = (id: string, state: string, p: string) =>
  learner(CertificationAwarded.type, id, state, p, { certificateNumber: `NIRYAT-VRD-2026-${String(clock % 1_000_000).padStart(6, '0')}`, awardedAt: at() });

/** The scripted history, in the order the services would publish it. */
const SCRIPT: ScriptRecord[] = [
  registered(A, '09', [P1, P2]),
  registered(B, '09', [P1]),
  registered(C, '27', [P2]),
  registered(E, '09', [P1]),
  approved(A, '09', [P1, P2]),
  approved(B, '09', [P1]),
  approved(E, '09', [P1]),
  rejected(C, '27'),
  enrolled(A, '09', P1),
  enrolled(A, '09', P2),
  enrolled(B, '09', P1),
  exported(B, '09', [P1]),
  withdrawn(A, '09', P2),
  learnerEnrolled(B, '09', P1),
  learnerEnrolled(B, '09', P2),
  learnerWithdrawn(B, '09', P2),
  learnerEnrolled(D, '33', P2),
  moved(A, '09', '06'),
  exported(A, '06', [P1]),
  // Training still has A in Uttar Pradesh: the seller fact table (Haryana) wins.
  learnerEnrolled(A, '09', P1),
  certified(A, '09', P1),
  certified(D, '33', P2),
];

// Expected rows, worked out by hand from the script above (programmes in byte order: P2 < P1).
const f = (programme: string, stateCode: string, registered: number, approved: number, enrolled: number, exporting: number): SellerFunnelRow => ({
  programme,
  stateCode,
  registered,
  approved,
  enrolled,
  exporting,
});
const EXPECTED_FUNNEL: SellerFunnelRow[] = [
  f(P2, '06', 1, 1, 0, 0), // A, moved from 09, withdrew from P2
  f(P2, '27', 1, 0, 0, 0), // C, rejected
  f(P1, '06', 1, 1, 1, 1), // A
  f(P1, '09', 2, 2, 1, 1), // B and E; only B enrolled and exporting
];
const t = (programme: string, stateCode: string, enrolled: number, certified: number): TrainingFunnelRow => ({ programme, stateCode, enrolled, certified });
const EXPECTED_TRAINING: TrainingFunnelRow[] = [
  t(P2, '33', 1, 1), // D, placed by its training events; B withdrew from P2, so no P2 row for 09
  t(P1, '06', 1, 1), // A, counted where onboarding says it is now
  t(P1, '09', 1, 0), // B
];

/** The reporting funnel consumer on its own schema and topic namespace. */
class FunnelHarness extends ConsumerTestBed {
  readonly views = new ReportingViews(this.schema);
  readonly projection = this.views.funnel;

  constructor(label: string) {
    super(label, REPORTING_MIGRATIONS);
  }

  override async setUp(): Promise<this> {
    await super.setUp();
    // Every marketplace counts in both: this spec is about the funnel, programme-attribution.spec about attribution.
    await givenEveryMarketplace(this.dataSource, this.views.catalogue, [P1, P2]);
    return this;
  }

  consumeScript(records: ScriptRecord[], maxChunkSize?: number): Promise<void> {
    return this.consume(funnelConsumerOptions(this.projection, this.schema, maxChunkSize), records);
  }

  funnel(filters: FunnelFilters = {}): Promise<SellerFunnelRow[]> {
    return this.projection.readFunnel(this.dataSource.manager, filters);
  }

  training(filters: FunnelFilters = {}): Promise<TrainingFunnelRow[]> {
    return this.projection.readTraining(this.dataSource.manager, filters);
  }
}

describe('seller funnel and training per programme × state (real Kafka and Postgres)', () => {
  const harnesses: FunnelHarness[] = [];
  afterAll(async () => {
    for (const harness of harnesses) await harness.tearDown();
  });

  it('gives the exact rows of a scripted history: two programmes, approvals, a withdrawal, a state move, exports, training', async () => {
    const harness = await new FunnelHarness('funnel-script').setUp();
    harnesses.push(harness);
    await harness.consumeScript(SCRIPT);

    expect(await harness.funnel()).toEqual(EXPECTED_FUNNEL);
    expect(await harness.training()).toEqual(EXPECTED_TRAINING);
    expect(await harness.funnel({ programme: P1, stateCode: '09' })).toEqual([f(P1, '09', 2, 2, 1, 1)]);
    expect(await harness.training({ programme: P2 })).toEqual([t(P2, '33', 1, 1)]);
  });

  it('gives the same rows when every record arrives twice and topics × keys interleave differently', async () => {
    const harness = await new FunnelHarness('funnel-dupes').setUp();
    harnesses.push(harness);
    const doubled = [...SCRIPT, ...SCRIPT];
    const shuffled = interleave(doubled, 20_261_121);
    expect(shuffled).not.toEqual(doubled);
    // Small chunks: the copies of an event land in different transactions, not just one chunk.
    await harness.consumeScript(shuffled, 2);

    expect(await harness.funnel()).toEqual(EXPECTED_FUNNEL);
    expect(await harness.training()).toEqual(EXPECTED_TRAINING);
  });

  it('republishes the funnel rows a batch touched, zeros included, on the compacted topic: the latest record per key equals the view', async () => {
    const harness = await new FunnelHarness('funnel-topic').setUp();
    harnesses.push(harness);
    await harness.consumeScript(SCRIPT, 2);
    const latest = latestPerKey(await harness.publishOutbox(Topics.reportingSellerFunnel));
    const rows = await harness.funnel();
    for (const row of rows) {
      expect(latest.get(`${row.programme}|${row.stateCode}`)).toMatchObject({
        registered: row.registered,
        approved: row.approved,
        enrolled: row.enrolled,
        exporting: row.exporting,
      });
    }
    // Keys no longer in the view (a seller moved away) were published with zeros, never left stale.
    const live = new Set(rows.map((r) => `${r.programme}|${r.stateCode}`));
    for (const [key, value] of latest) {
      if (!live.has(key)) expect(value).toMatchObject({ registered: 0, approved: 0, enrolled: 0, exporting: 0 });
    }
  });

  it("republishes a row when a seller it already counts starts exporting, though the seller's place does not move", async () => {
    const harness = await new FunnelHarness('funnel-starts-exporting').setUp();
    harnesses.push(harness);
    const [F, G] = [randomUUID(), randomUUID()];
    await harness.consumeScript([registered(F, '27', [P1]), approved(F, '27', [P1]), enrolled(F, '27', P1), registered(G, '27', [P1])]);
    expect(latestPerKey(await harness.publishOutbox(Topics.reportingSellerFunnel)).get(`${P1}|27`)).toMatchObject({ registered: 2, exporting: 0 });

    await harness.consumeScript([exported(F, '27', [P1])]);
    expect(await harness.funnel({ programme: P1, stateCode: '27' })).toEqual([f(P1, '27', 2, 1, 1, 1)]);
    expect(latestPerKey(await harness.publishOutbox(Topics.reportingSellerFunnel)).get(`${P1}|27`)).toMatchObject({ registered: 2, approved: 1, enrolled: 1, exporting: 1 });
  });

  it('still applies what a later export changes once sellers are known: a new programme, or a seller onboarding has not placed moving', async () => {
    const harness = await new FunnelHarness('funnel-known-exporters').setUp();
    harnesses.push(harness);
    // K: onboarded in Maharashtra for both programmes, exporting in P1. L: known only by its exports.
    const [K, L] = [randomUUID(), randomUUID()];
    await harness.consumeScript([registered(K, '27', [P1, P2]), approved(K, '27', [P1, P2]), exported(K, '27', [P1]), exported(L, '27', [P1])]);
    // Read back once more: the transaction that reads K and L as exporting is the one after this.
    await harness.consumeScript([exported(K, '27', [P1]), exported(L, '27', [P1])]);
    // Exporting implies the stages before it: K and L count as enrolled, approved and registered in P1.
    expect(await harness.funnel({ stateCode: '27' })).toEqual([f(P2, '27', 1, 1, 0, 0), f(P1, '27', 2, 2, 2, 2)]);

    // K's export from elsewhere does not move it (onboarding placed it), one in P2 too counts there;
    // L's later export from Uttar Pradesh moves it there (its placement is only its exports').
    await harness.consumeScript([exported(K, '09', [P1]), exported(L, '09', [P1])]);
    await harness.consumeScript([exported(K, '09', [P1, P2])]);
    expect([...(await harness.funnel({ stateCode: '27' })), ...(await harness.funnel({ stateCode: '09' }))]).toEqual([
      f(P2, '27', 1, 1, 1, 1),
      f(P1, '27', 1, 1, 1, 1),
      f(P1, '09', 1, 1, 1, 1),
    ]);
  });

  it('narrows in every row for random histories: any order the log allows, duplicates, missing events (registered ≥ approved ≥ enrolled ≥ exporting)', async () => {
    for (const seed of [11, 22, 33]) {
      const harness = await new FunnelHarness(`funnel-nesting-${seed}`).setUp();
      harnesses.push(harness);
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
      const history: ScriptRecord[] = [];
      for (let i = 0; i < 25; i += 1) {
        const id = randomUUID();
        const state = pick(['09', '06', '27']);
        const programmes = random() < 0.5 ? [P1, P2] : [pick([P1, P2])];
        const life = [
          registered(id, state, programmes),
          approved(id, state, programmes),
          ...programmes.map((p) => enrolled(id, state, p)),
          ...(random() < 0.3 ? [withdrawn(id, state, programmes[0])] : []),
          ...(random() < 0.3 ? [moved(id, state, pick(['09', '06', '27']))] : []),
          ...Array.from({ length: Math.floor(random() * 3) }, () => exported(id, state, programmes)),
        ];
        for (const event of life) {
          if (random() < 0.3) continue; // this event never arrived
          history.push(event);
          if (random() < 0.15) history.push(event); // delivered twice (same ce_id)
          if (random() < 0.1) history.push({ ...event, headers: { ...event.headers, ce_id: randomUUID() } }); // sent again as a new event
        }
      }
      await harness.consumeScript(interleave(history, seed), 3);

      const rows = await harness.funnel();
      const unnested = rows.filter((r) => !(r.registered >= r.approved && r.approved >= r.enrolled && r.enrolled >= r.exporting));
      expect({ seed, unnested }).toEqual({ seed, unnested: [] });
      // Not vacuous: the histories have exporting sellers whose earlier events are missing.
      expect(rows.some((r) => r.exporting > 0)).toBe(true);
      const published = latestPerKey(await harness.publishOutbox(Topics.reportingSellerFunnel));
      for (const value of published.values()) {
        const { registered: reg, approved: app, enrolled: enr, exporting: exp } = value as Record<string, number>;
        expect(reg >= app && app >= enr && enr >= exp).toBe(true);
      }
    }
  });
});
