#!/usr/bin/env node
'use strict';
// `npm run check:attribution`: holds reporting's export totals to what the exports ledger and the
// programme catalogue say, worked out here in SQL of its own (not reporting's code): an export
// counts in a programme when exports stamped the programme (the seller was enrolled on the
// shipment day) and the programme's marketplaces include the order's; '*' counts every export
// once. Prints per programme what it counts and what counting every enrolled programme would have
// claimed, and every row that differs; exit 1 if any does. Against the platform `npm start` runs
// here unless DATABASE_URL says otherwise.
//
//   npm run check:attribution                 # waits up to 30 s for reporting to catch up
//   npm run check:attribution -- --wait 0     # compare once
const { ensureDependencies } = require('./deps');

const note = (line) => process.stderr.write(`[check] ${line}\n`);

function options(argv) {
  const result = { waitSeconds: 30 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--wait') result.waitSeconds = Number(argv[++i]);
    else if (argv[i] === '--help') {
      process.stdout.write('usage: npm run check:attribution [-- --wait SECONDS]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]} (--help)`);
  }
  if (!Number.isFinite(result.waitSeconds) || result.waitSeconds < 0) throw new Error('--wait needs a number of seconds, 0 or more');
  return result;
}

const FACTS = `
  WITH facts AS (
    SELECT e.partner, e.state_code, e.programmes, to_char(e.shipment_date, 'YYYY-MM') AS month,
           e.value_usd_minor AS usd, e.value_inr_minor AS inr, 1 AS orders, 0 AS returns
      FROM exports.exports e
    UNION ALL
    SELECT e.partner, e.state_code, e.programmes, to_char(e.shipment_date, 'YYYY-MM'), a.value_usd_minor, a.value_inr_minor, 0, 1
      FROM exports.export_adjustments a JOIN exports.exports e ON e.export_id = a.export_id
  )`;

/** What the rows must say: '*' and every programme whose marketplaces take the export's partner. */
const EXPECTED = `${FACTS}
  SELECT programme, state_code, month, sum(usd)::text AS usd, sum(inr)::text AS inr, sum(orders)::int AS orders, sum(returns)::int AS returns
    FROM (SELECT '*' AS programme, state_code, month, usd, inr, orders, returns FROM facts
          UNION ALL
          SELECT p.id, f.state_code, f.month, f.usd, f.inr, f.orders, f.returns
            FROM facts f JOIN onboarding.programmes p ON p.id = ANY (f.programmes) AND f.partner = ANY (p.marketplaces)) AS attributed
   GROUP BY programme, state_code, month`;

/** Per programme: what it counts, and what it would claim counting every export of its enrolled sellers. */
const PER_PROGRAMME = `${FACTS}
  SELECT p.id AS programme, p.marketplaces,
         coalesce(sum(f.usd) FILTER (WHERE f.partner = ANY (p.marketplaces)), 0)::text AS counted_usd,
         coalesce(sum(f.inr) FILTER (WHERE f.partner = ANY (p.marketplaces)), 0)::text AS counted_inr,
         coalesce(sum(f.usd), 0)::text AS enrolled_usd
    FROM onboarding.programmes p LEFT JOIN facts f ON p.id = ANY (f.programmes)
   GROUP BY p.id, p.marketplaces ORDER BY p.id`;

const ACTUAL = `SELECT programme, state_code, to_char(month, 'YYYY-MM') AS month, value_usd_minor::text AS usd, value_inr_minor::text AS inr, orders, returns
                  FROM reporting.export_totals`;

const key = (r) => `${r.programme}|${r.state_code}|${r.month}`;
const figures = (r) => (r ? `USD ${r.usd} INR ${r.inr} orders ${r.orders} returns ${r.returns}` : 'no row');
const dollars = (minor) => {
  const value = BigInt(minor);
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

function differences(expected, actual) {
  const want = new Map(expected.map((r) => [key(r), r]));
  const have = new Map(actual.map((r) => [key(r), r]));
  const problems = [];
  for (const [k, w] of want) if (figures(w) !== figures(have.get(k))) problems.push(`${k}: reporting has ${figures(have.get(k))}, the ledger says ${figures(w)}`);
  for (const [k, h] of have) if (!want.has(k) && (h.usd !== '0' || h.orders !== 0)) problems.push(`${k}: reporting has ${figures(h)}, the ledger has no such export`);
  return problems;
}

async function main() {
  const { waitSeconds } = options(process.argv.slice(2));
  ensureDependencies(note);
  let url = process.env.DATABASE_URL;
  if (!url) {
    const { readInfra, resolveDir } = require('../infra');
    const infra = readInfra(resolveDir({ profile: 'dev' }));
    if (!infra) {
      note('no DATABASE_URL given and no local platform running: start it with `npm start` first');
      process.exit(2);
    }
    url = infra.postgres.url;
  }
  const { Client } = require('pg');
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const deadline = Date.now() + waitSeconds * 1000;
    let problems;
    let expected;
    for (;;) {
      expected = (await db.query(EXPECTED)).rows;
      problems = differences(expected, (await db.query(ACTUAL)).rows);
      if (problems.length === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const [{ exports, adjustments }] = (
      await db.query(`SELECT (SELECT count(*)::int FROM exports.exports) AS exports, (SELECT count(*)::int FROM exports.export_adjustments) AS adjustments`)
    ).rows;
    process.stdout.write(`${exports} exports and ${adjustments} returns in the exports ledger; ${expected.length} rows of export totals expected\n`);
    for (const p of (await db.query(PER_PROGRAMME)).rows) {
      const claimed = p.enrolled_usd === p.counted_usd ? '' : ` (every export of its enrolled sellers would be USD ${dollars(p.enrolled_usd)})`;
      process.stdout.write(`  ${p.programme} [${p.marketplaces.join(', ')}]: USD ${dollars(p.counted_usd)}, INR ${dollars(p.counted_inr)}${claimed}\n`);
    }
    if (problems.length === 0) {
      process.stdout.write(`reporting's export totals equal the ledger to the cent and the paisa in every row\n`);
      return 0;
    }
    process.stdout.write(`${problems.length} row(s) differ:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  } finally {
    await db.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    note(`failed: ${error.message}`);
    process.exit(1);
  },
);
