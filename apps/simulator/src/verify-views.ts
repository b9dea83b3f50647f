import { FUNNEL_STAGES, FunnelRow, funnelKey } from './funnel-truth';
import { call, PlatformTarget, topicName } from './platform';
import { dollarsOf, MilestoneTruth, ProgrammeProgressTruth } from './progress-truth';
import { latestByKey, readTopics } from './read-topics';
import { SimulationRecord } from './simulation';
import { rowsFingerprint } from './views-truth';

type Fields = Readonly<Record<string, unknown>>;

const show = (value: unknown) => (value === undefined ? '(missing)' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Every difference between expected and actual items matched by key, one line each: a missing item,
 * a field that differs (named, with both values), an item that should not be there.
 */
export function compareKeyed(where: string, label: string, expected: readonly object[], actual: readonly object[], keyOf: (item: Fields) => string, fields: readonly string[]): string[] {
  const out: string[] = [];
  const got = new Map((actual as Fields[]).map((item) => [keyOf(item), item]));
  for (const item of expected as Fields[]) {
    const key = keyOf(item);
    const found = got.get(key);
    got.delete(key);
    if (!found) {
      out.push(`${where}: ${label} ${key} missing (expected ${fields.map((f) => `${f} ${show(item[f])}`).join(', ')})`);
      continue;
    }
    for (const field of fields) if (show(found[field]) !== show(item[field])) out.push(`${where}: ${label} ${key} ${field} is ${show(found[field])}, expected ${show(item[field])}`);
  }
  for (const key of got.keys()) out.push(`${where}: ${label} ${key} is there and should not be`);
  return out;
}

export const compareFunnel = (where: string, expected: readonly FunnelRow[], actual: readonly Fields[]) =>
  compareKeyed(where, 'row', expected, actual, (r) => funnelKey({ programme: String(r.programme), stateCode: String(r.stateCode) }), FUNNEL_STAGES);

const MILESTONE_FIELDS = ['thresholdUsd', 'reachedOn', 'daysSincePrevious', 'droppedBelowOn', 'held'] as const;

/** A milestone as the API gives it. */
export const milestoneView = (m: MilestoneTruth) => ({
  milestone: m.milestone,
  thresholdUsd: dollarsOf(BigInt(m.thresholdUsdMinor)),
  reachedOn: m.reachedOn,
  daysSincePrevious: m.daysSincePrevious,
  droppedBelowOn: m.droppedBelowOn,
  held: m.held,
});

const byMilestone = (m: Fields) => String(m.milestone);

export const compareMilestones = (where: string, expected: readonly MilestoneTruth[], actual: readonly Fields[]) =>
  compareKeyed(where, 'milestone', expected.map(milestoneView), actual, byMilestone, MILESTONE_FIELDS);

/** One programme of GET /v1/reports/progress against its truth: its fields, each year, the milestones reached and the latest. */
export function compareProgress(where: string, expected: ProgrammeProgressTruth, actual: Fields | undefined): string[] {
  if (!actual) return [`${where}: programme ${expected.programme} missing (expected cumulativeUsd ${dollarsOf(BigInt(expected.cumulativeUsdMinor))})`];
  const label = `programme ${expected.programme}`;
  const latest = expected.milestones.at(-1);
  const out = compareKeyed(
    where,
    'programme',
    [{ programme: expected.programme, name: expected.name, startsOn: expected.startsOn, milestoneStepUsd: dollarsOf(BigInt(expected.milestoneStepUsd) * 100n), milestonesReached: expected.milestones.length }],
    [actual],
    (p) => String(p.programme),
    // cumulativeUsd is verify's own check of every record, older ones too.
    ['name', 'startsOn', 'milestoneStepUsd', 'milestonesReached'],
  );
  out.push(...compareKeyed(`${where}: ${label}`, 'year', expected.yearly.map((y) => ({ year: y.year, valueUsd: dollarsOf(BigInt(y.usdMinor)) })), (actual.yearly as Fields[] | undefined) ?? [], (y) => String(y.year), ['valueUsd']));
  const actualLatest = actual.latestMilestone as Fields | null | undefined;
  out.push(...compareKeyed(`${where}: ${label}`, 'latestMilestone', latest ? [milestoneView(latest)] : [], actualLatest ? [actualLatest] : [], byMilestone, MILESTONE_FIELDS));
  return out;
}

/** One programme of GET /v1/reports/progress/quarters against its truth, quarter by quarter. */
export const compareQuarters = (where: string, expected: ProgrammeProgressTruth, actual: readonly Fields[]) =>
  compareKeyed(
    where,
    'quarter',
    expected.quarters.map((q) => ({ quarter: q.quarter, valueUsd: dollarsOf(BigInt(q.usdMinor)), growthPercent: q.growthPercent })),
    actual,
    (q) => String(q.quarter),
    ['valueUsd', 'growthPercent'],
  );

/** The latest record of each programme on the progress topic against the truth. */
export const compareProgressTopic = (where: string, expected: readonly ProgrammeProgressTruth[], actual: readonly Fields[]) =>
  compareKeyed(
    where,
    'programme',
    expected.map((p) => ({ programme: p.programme, name: p.name, cumulativeUsdMinor: p.cumulativeUsdMinor, milestonesCrossed: p.milestones.length })),
    actual,
    (p) => String(p.programme),
    ['name', 'cumulativeUsdMinor', 'milestonesCrossed'],
  );

export interface ViewsChecked {
  funnelRows: number;
  funnelTopicRows: number;
  milestones: number;
  /** Why the views were not checked, when they were not. */
  skipped?: string;
}

/**
 * The seller funnel, training and programme progress of the world's programmes in the reporting
 * API and on their compacted topics, against the record's truth of them.
 */
export async function verifyViews(target: PlatformTarget, record: SimulationRecord): Promise<{ differences: string[]; checked: ViewsChecked }> {
  const views = record.expected.views;
  if (!views) return { differences: [], checked: { funnelRows: 0, funnelTopicRows: 0, milestones: 0, skipped: 'the record is older than the funnel and progress truth' } };
  if (views.rowsFingerprint !== rowsFingerprint(record.expected.rows)) {
    return { differences: [], checked: { funnelRows: 0, funnelTopicRows: 0, milestones: 0, skipped: 'the export totals were recomputed for another stream since the funnel and progress truth' } };
  }
  const differences: string[] = [];
  const { urls, tokens } = target;
  const get = <T>(path: string) => call<T>('GET', `${urls.reporting}${path}`, tokens.analyst);
  const ours = (programme: string) => record.programmes.includes(programme);

  let funnelRows = 0;
  for (const programme of record.programmes) {
    const where = `GET /v1/reports/funnel?programme=${programme}`;
    const { rows } = await get<{ rows: Fields[] }>(`/v1/reports/funnel?programme=${encodeURIComponent(programme)}`);
    funnelRows += rows.length;
    differences.push(...compareFunnel(where, views.funnel.filter((r) => r.programme === programme), rows));
    // The world's programmes are export programmes: nobody is invited to train in them.
    const training = await get<{ rows: Fields[] }>(`/v1/reports/training?programme=${encodeURIComponent(programme)}`);
    differences.push(...compareKeyed(`GET /v1/reports/training?programme=${programme}`, 'row', [], training.rows, (r) => `${String(r.programme)}|${String(r.stateCode)}`, []));
  }

  const progress = await get<{ programmes: Fields[] }>('/v1/reports/progress');
  const quarters = await get<{ programmes: Fields[] }>('/v1/reports/progress/quarters');
  let milestones = 0;
  for (const expected of views.progress) {
    const { programme } = expected;
    differences.push(...compareProgress('GET /v1/reports/progress', expected, progress.programmes.find((p) => p.programme === programme)));
    const quartersOf = quarters.programmes.find((p) => p.programme === programme);
    if (!quartersOf) differences.push(`GET /v1/reports/progress/quarters: programme ${programme} missing`);
    else differences.push(...compareQuarters(`GET /v1/reports/progress/quarters: programme ${programme}`, expected, quartersOf.quarters as Fields[]));
    const crossed = await get<{ milestones: Fields[] }>(`/v1/reports/progress/${encodeURIComponent(programme)}/milestones`);
    milestones += crossed.milestones.length;
    differences.push(...compareMilestones(`GET /v1/reports/progress/${programme}/milestones`, expected.milestones, crossed.milestones));
  }

  const [funnelTopic, progressTopic] = ['niryat.reporting.seller-funnel.v1', 'niryat.reporting.programme-progress.v2'];
  const read = await readTopics(target, [topicName(target, funnelTopic), topicName(target, progressTopic)]);
  const funnelLatest = latestByKey<Fields>(read.get(topicName(target, funnelTopic)) ?? [], (key) => ours(key.split('|')[0]));
  differences.push(...compareFunnel(`topic ${funnelTopic}`, views.funnel, [...funnelLatest.values()]));
  const progressLatest = latestByKey<Fields>(read.get(topicName(target, progressTopic)) ?? [], ours);
  differences.push(...compareProgressTopic(`topic ${progressTopic}`, views.progress, [...progressLatest.values()]));
  return { differences, checked: { funnelRows, funnelTopicRows: funnelLatest.size, milestones } };
}
