import { deadLetterTopicFor } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { Client } from 'pg';
import { REPORTING_GROUP } from '../src/reporting-views';
import { ExpectedTotals } from './workload';

export interface Verification {
  problems: string[];
  /** One line: what was compared and found equal. */
  check: string;
  facts: Record<string, unknown>;
}

/**
 * After the service has caught up: the export totals are exactly what the produced events add up
 * to (every row, every figure, no row more), every event was applied once, none was dead-lettered.
 */
export async function verifyTotals(db: Client, kafka: KafkaClient, schema: string, expected: ExpectedTotals): Promise<Verification> {
  const problems: string[] = [];
  const { rows } = await db.query<{ key: string; usd: string; inr: string; orders: number; sellers: number; returns: number }>(
    `SELECT programme || '|' || state_code || '|' || to_char(month, 'YYYY-MM') AS key, value_usd_minor::text AS usd, value_inr_minor::text AS inr,
            orders, exporting_sellers AS sellers, returns
       FROM "${schema}".export_totals`,
  );
  const actual = new Map(rows.map((r) => [r.key, r]));
  const differing: string[] = [];
  for (const [key, want] of expected.rows) {
    const got = actual.get(key);
    const wanted = { usd: want.valueUsdMinor.toString(), inr: want.valueInrMinor.toString(), orders: want.orders, sellers: want.sellers.size, returns: 0 };
    const found = got && { usd: got.usd, inr: got.inr, orders: got.orders, sellers: got.sellers, returns: got.returns };
    if (JSON.stringify(found) !== JSON.stringify(wanted)) differing.push(`${key}: ${JSON.stringify(found ?? 'missing')}, expected ${JSON.stringify(wanted)}`);
  }
  const extra = [...actual.keys()].filter((key) => !expected.rows.has(key));
  if (differing.length > 0) problems.push(`${differing.length} of ${expected.rows.size} rows differ, e.g. ${differing.slice(0, 2).join('; ')}`);
  if (extra.length > 0) problems.push(`${extra.length} unexpected rows, e.g. ${extra.slice(0, 3).join(', ')}`);

  const [{ applied }] = (
    await db.query<{ applied: number }>(`SELECT count(*)::int AS applied FROM "${schema}".inbox WHERE consumer_group = $1 AND event_source = '/niryat/exports'`, [REPORTING_GROUP])
  ).rows;
  if (applied !== expected.events) problems.push(`${applied} events applied, ${expected.events} produced`);

  const admin = await kafka.admin();
  const deadLetterTopic = kafka.topic(deadLetterTopicFor(REPORTING_GROUP));
  const deadLetters = (await admin.listTopics()).includes(deadLetterTopic)
    ? (await admin.fetchTopicOffsets(deadLetterTopic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
    : 0;
  if (deadLetters > 0) problems.push(`${deadLetters} events dead-lettered`);

  const all = sumOfAllProgrammes(expected);
  return {
    problems,
    check: problems.length === 0 ? `${expected.rows.size} rows equal, ${applied} events applied once, 0 dead letters` : problems.join('; '),
    facts: { rows: actual.size, expectedRows: expected.rows.size, applied, deadLetters, valueUsdMinor: all.usd, valueInrMinor: all.inr },
  };
}

/** The '*' rows count every export once: their sum is the whole traffic's value. */
function sumOfAllProgrammes(expected: ExpectedTotals): { usd: string; inr: string } {
  let usd = 0n;
  let inr = 0n;
  for (const [key, row] of expected.rows) {
    if (!key.startsWith('*|')) continue;
    usd += row.valueUsdMinor;
    inr += row.valueInrMinor;
  }
  return { usd: usd.toString(), inr: inr.toString() };
}
