import { KafkaMessage } from 'kafkajs';
import { call, PlatformTarget, topicName } from './platform';
import { readTopics } from './read-topics';
import { SimulationRecord } from './simulation';
import { rowKey, TotalsRow } from './truth';
import { verifyViews, ViewsChecked } from './verify-views';

const FIELDS = ['valueUsdMinor', 'valueInrMinor', 'orders', 'exportingSellers', 'returns', 'returnsUsdMinor', 'returnsInrMinor'] as const;

export interface VerifyReport {
  differences: string[];
  checked: { rows: number; topicRows: number; deadLetters: number; parked: number; programmes: number; views?: ViewsChecked };
}

/** Every difference between expected and actual rows, one line each, naming the row and the field. */
export function compareRows(where: string, expected: readonly TotalsRow[], actual: readonly Partial<TotalsRow>[]): string[] {
  const out: string[] = [];
  const got = new Map(actual.map((r) => [rowKey(r as TotalsRow), r]));
  for (const row of expected) {
    const found = got.get(rowKey(row));
    got.delete(rowKey(row));
    if (!found) {
      out.push(`${where}: row ${rowKey(row)} missing (expected ${row.orders} orders, USD ${row.valueUsdMinor} cents)`);
      continue;
    }
    for (const field of FIELDS) {
      if (String(found[field]) !== String(row[field])) out.push(`${where}: row ${rowKey(row)} ${field} is ${String(found[field])}, expected ${row[field]}`);
    }
  }
  for (const key of got.keys()) out.push(`${where}: row ${key} is there and should not be`);
  return out;
}

/** A topic whole, from its start to its end as it was when the read began. */
async function readTopic(target: PlatformTarget, topic: string): Promise<KafkaMessage[]> {
  return (await readTopics(target, [topic])).get(topic) ?? [];
}

/**
 * Compares the platform with the record of a run: the export totals of the world's programmes in
 * the reporting API and on the compacted reporting topic, each programme's cumulative value, the
 * dead letters of the partner orders consumer by code, the events left parked, and the seller
 * funnel, training and progress of the programmes with their milestones (verifyViews).
 */
export async function verifyOnce(target: PlatformTarget, record: SimulationRecord): Promise<VerifyReport> {
  const differences: string[] = [];
  const { urls, tokens } = target;
  const expectedOf = (programme: string) => record.expected.rows.filter((r) => r.programme === programme);

  let apiRows = 0;
  for (const programme of record.programmes) {
    const answer = await call<{ rows: TotalsRow[] }>('GET', `${urls.reporting}/v1/reports/exports?programme=${encodeURIComponent(programme)}`, tokens.analyst);
    apiRows += answer.rows.length;
    differences.push(...compareRows(`GET /v1/reports/exports?programme=${programme}`, expectedOf(programme), answer.rows));
  }

  const latest = new Map<string, TotalsRow>();
  for (const message of await readTopic(target, topicName(target, 'niryat.reporting.export-totals.v2'))) {
    const key = message.key?.toString('utf8') ?? '';
    if (record.programmes.includes(key.split('|')[0]) && message.value) latest.set(key, JSON.parse(message.value.toString('utf8')) as TotalsRow);
  }
  differences.push(...compareRows('topic niryat.reporting.export-totals.v2', record.expected.rows, [...latest.values()]));

  const progress = await call<{ programmes: { programme: string; cumulativeUsd: string }[] }>('GET', `${urls.reporting}/v1/reports/progress`, tokens.analyst);
  for (const programme of record.programmes) {
    const cents = BigInt(record.expected.cumulativeUsdMinor[programme] ?? '0');
    const found = progress.programmes.find((p) => p.programme === programme);
    const actual = found ? BigInt(found.cumulativeUsd.replace('.', '')) : undefined;
    if (actual !== cents) differences.push(`GET /v1/reports/progress: ${programme} cumulativeUsd is ${found?.cumulativeUsd ?? '(missing)'}, expected ${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`);
  }

  // A record is refused once, however many copies of its dead letter a crash between publishing it
  // and committing made (dead letters are at least once): counted by source position. Refusals at
  // the release of parked events go to the onboarding-events group's topic, the rest to the partner orders'.
  const refused = new Map<string, string>();
  const reasonOf = new Map<string, string>();
  for (const group of ['exports.partner-orders', 'exports.onboarding-events']) {
    for (const message of await readTopic(target, topicName(target, `niryat.deadletter.${group}.v1`))) {
      const key = message.key?.toString('utf8') ?? '';
      if (!key.slice(key.indexOf(':') + 1).startsWith(record.orderPrefix)) continue;
      const h = (name: string) => message.headers?.[name]?.toString() ?? '';
      refused.set(`${h('niryat_dlq_source_topic')}[${h('niryat_dlq_source_partition')}]@${h('niryat_dlq_source_offset')}`, h('niryat_dlq_code') || '(none)');
      if (!reasonOf.has(h('niryat_dlq_code'))) reasonOf.set(h('niryat_dlq_code'), `${key}: ${h('niryat_dlq_reason').slice(0, 300)}`);
    }
  }
  const deadLetters: Record<string, number> = {};
  for (const code of refused.values()) deadLetters[code] = (deadLetters[code] ?? 0) + 1;
  const deadCount = refused.size;
  for (const code of new Set([...Object.keys(deadLetters), ...Object.keys(record.expected.deadLetters)])) {
    const [got, want] = [deadLetters[code] ?? 0, record.expected.deadLetters[code] ?? 0];
    if (got !== want) differences.push(`records refused by exports: ${got} with code ${code}, expected ${want}${got > want ? ` (e.g. ${reasonOf.get(code)})` : ''}`);
  }

  let parkedCount = 0;
  for (const p of record.expected.parked) {
    const answer = await call<{ total: number }>('GET', `${urls.exports}/v1/parked-events?partner=${p.partner}&sellerAccountId=${encodeURIComponent(p.sellerAccountId)}`, tokens.operator);
    parkedCount += answer.total;
    if (answer.total !== p.events) differences.push(`parked events of ${p.partner} account ${p.sellerAccountId}: ${answer.total}, expected ${p.events}`);
  }
  const views = await verifyViews(target, record);
  differences.push(...views.differences);
  return { differences, checked: { rows: apiRows, topicRows: latest.size, deadLetters: deadCount, parked: parkedCount, programmes: record.programmes.length, views: views.checked } };
}

/** Verifies until there is no difference or `waitSeconds` have passed (the pipeline may still be catching up). */
export async function verify(target: PlatformTarget, record: SimulationRecord, waitSeconds: number, log: (line: string) => void): Promise<VerifyReport> {
  const until = Date.now() + waitSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    // A service still coming back is one more reason to look again, not an answer.
    const report = await verifyOnce(target, record).catch(
      (error: unknown): VerifyReport => ({ differences: [`could not read the platform: ${(error as Error).message}`], checked: { rows: 0, topicRows: 0, deadLetters: 0, parked: 0, programmes: 0 } }),
    );
    if (report.differences.length === 0 || Date.now() >= until) return report;
    if (attempt === 1 || attempt % 5 === 0) log(`${report.differences.length} difference(s) so far, the pipeline may still be catching up: checking again for up to ${Math.ceil((until - Date.now()) / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
