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
  TopicSpecs,
} from '@niryat/contracts';
import { BatchConsumer, KafkaClient, MessagingTables1763700000000, OutboxRelay, OutboxWriter } from '@niryat/messaging';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { eventually, readWholeTopic, testInfra, uniqueSuffix } from '@niryat/testing';
import { DataSource } from 'typeorm';
import { ProgrammeProgress1764300000000 } from '../src/database/migrations/1764300000000-programme-progress';
import { PROGRESS_GROUP, progressConsumerOptions } from '../src/progress/progress.consumer';
import { ProgrammeMilestones, ProgrammeProgressView, ProgressProjection } from '../src/progress/progress.projection';

const AGS = 'amazon-global-selling';
const WV = 'walmart-vriddhi';
/** S1 sells through Amazon Global Selling only, S2 is in both programmes, S3 only in Walmart Vriddhi. */
const S1 = { sellerId: randomUUID(), programmes: [AGS] };
const S2 = { sellerId: randomUUID(), programmes: [AGS, WV] };
const S3 = { sellerId: randomUUID(), programmes: [WV] };

/** A Kafka record as produced: its topic, key, value and CloudEvents headers (ce_id stays through redeliveries). */
interface ScriptRecord {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

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

/** A real schema and topic namespace, and the reporting progress consumer on them. */
class ProgressHarness {
  readonly dataSource: DataSource;
  readonly kafka: KafkaClient;
  readonly schema: string;
  readonly projection: ProgressProjection;

  constructor(label: string) {
    const { kafkaBrokers, databaseUrl } = testInfra();
    const namespace = `t-${label}-${uniqueSuffix()}`;
    this.schema = `reporting_${namespace.replace(/[^a-z0-9]/g, '_')}`;
    this.dataSource = new DataSource(
      serviceDataSourceOptions({ url: databaseUrl, schema: this.schema, migrations: [MessagingTables1763700000000, ProgrammeProgress1764300000000] }),
    );
    this.kafka = new KafkaClient({ brokers: kafkaBrokers.split(','), clientId: `test-${namespace}`, topicNamespace: namespace });
    this.projection = new ProgressProjection(new OutboxWriter(this.schema, '/niryat/reporting'));
  }

  async setUp(): Promise<this> {
    await this.dataSource.initialize();
    await migrate(this.dataSource);
    await this.kafka.ensureTopics(TopicSpecs);
    return this;
  }

  async tearDown(): Promise<void> {
    await this.kafka.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  async produce(records: ScriptRecord[]): Promise<void> {
    const producer = await this.kafka.producer();
    for (const topic of [Topics.onboardingProgramme, Topics.exports]) {
      const messages = records.filter((r) => r.topic === topic).map(({ key, value, headers }) => ({ key, value, headers }));
      await producer.send({ topic: this.kafka.topic(topic), messages });
    }
  }

  /** Records the group has durably applied, over both topics (stored offsets start at 0 on fresh topics). */
  async appliedRecords(): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT coalesce(sum(next_offset), 0)::int AS n FROM consumer_offsets WHERE consumer_group = $1`, [
      PROGRESS_GROUP,
    ]);
    return n;
  }

  async consume(records: ScriptRecord[], maxChunkSize?: number): Promise<void> {
    await this.produce(records);
    const consumer = new BatchConsumer(this.dataSource, this.kafka, progressConsumerOptions(this.projection, this.schema, maxChunkSize));
    await consumer.start();
    try {
      await eventually(async () => expect(await this.appliedRecords()).toBe(records.length), { timeoutMs: 60_000 });
    } finally {
      await consumer.stop();
    }
  }

  async expectStory(): Promise<void> {
    expect(await this.projection.readMilestones(this.dataSource.manager, AGS)).toEqual(EXPECTED_MILESTONES);
    expect(await this.projection.read(this.dataSource.manager, AS_OF)).toEqual(EXPECTED_PROGRESS);
  }
}

/** Shuffles records across keys, keeping each key's own order (all Kafka promises), with a fixed seed. */
function interleave(records: ScriptRecord[], seed: number): ScriptRecord[] {
  const queues = new Map<string, ScriptRecord[]>();
  for (const r of records) queues.set(r.key, [...(queues.get(r.key) ?? []), r]);
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out: ScriptRecord[] = [];
  while (queues.size > 0) {
    const keys = [...queues.keys()];
    const key = keys[Math.floor(random() * keys.length)];
    const [next, ...rest] = queues.get(key) ?? [];
    out.push(next);
    if (rest.length === 0) queues.delete(key);
    else queues.set(key, rest);
  }
  return out;
}

describe('programme progress: milestones, yearly value, target (real Kafka and Postgres)', () => {
  const harnesses: ProgressHarness[] = [];
  afterAll(async () => {
    for (const harness of harnesses) await harness.tearDown();
  });

  it('tells the Amazon Global Selling story: three years for the first billion, under eighteen months for the next', async () => {
    const harness = await new ProgressHarness('prog-story').setUp();
    harnesses.push(harness);
    await harness.consume(SCRIPT);

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
    await harness.consume(shuffled, 2);

    await harness.expectStory();
  });

  it('republishes each changed programme on the compacted progress topic: the latest record equals the view', async () => {
    const harness = await new ProgressHarness('progress-topic').setUp();
    harnesses.push(harness);
    await harness.consume(SCRIPT);
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    while ((await relay.publishPending()) > 0);
    const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(Topics.reportingProgrammeProgress));
    const latest = new Map(records.map((r) => [r.key, JSON.parse(r.value ?? '{}')]));
    const views = await harness.projection.read(harness.dataSource.manager, AS_OF);
    expect([...latest.keys()].sort()).toEqual(views.map((v) => v.programme).sort());
    for (const view of views) {
      expect(latest.get(view.programme)).toMatchObject({
        name: view.name,
        cumulativeUsdMinor: Number(BigInt(view.cumulativeUsd.replace('.', ''))), // "2300000000.00" dollars → cents, exactly
        milestonesCrossed: view.milestonesReached,
      });
    }
  });
});
