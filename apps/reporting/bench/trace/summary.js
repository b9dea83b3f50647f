'use strict';
// Summarises a statements.js trace: per inbox (the bench's schema per rate), the transactions'
// duration percentiles, events and statements per transaction, the costliest statements, and the
// duration by transaction size. Usage: node apps/reporting/bench/trace/summary.js FILE
const fs = require('node:fs');

const file = process.argv[2];
if (!file) throw new Error('usage: summary.js FILE');
const transactions = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
  .filter((tx) => Array.isArray(tx.q));
const inboxOf = (tx) => tx.q.find(([head]) => /\.inbox /.test(head));
const groups = new Map();
for (const tx of transactions) {
  const inbox = inboxOf(tx);
  if (!inbox) continue;
  const schema = inbox[0].match(/"([^"]+)"\.inbox/)?.[1] ?? '(default)';
  groups.set(schema, [...(groups.get(schema) ?? []), tx]);
}
const fixed = (n) => n.toFixed(1);
for (const [schema, txs] of groups) {
  const ms = txs.map((t) => t.ms).sort((a, b) => a - b);
  const at = (q) => ms[Math.floor(q * (ms.length - 1))];
  const events = txs.reduce((sum, t) => sum + (inboxOf(t)[2] ?? 0), 0);
  const statements = txs.reduce((sum, t) => sum + t.q.length, 0);
  console.log(`${schema}: ${txs.length} transactions, ms p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} max ${at(1)} avg ${fixed(ms.reduce((a, b) => a + b, 0) / ms.length)}; ${Math.round(events / txs.length)} events and ${fixed(statements / txs.length)} statements per transaction`);
  const byStatement = new Map();
  for (const t of txs) {
    for (const [head, took] of t.q) {
      const key = head.replace(/"[^"]+"\./g, '').slice(0, 50);
      const s = byStatement.get(key) ?? { count: 0, ms: 0, max: 0 };
      s.count += 1;
      s.ms += took;
      s.max = Math.max(s.max, took);
      byStatement.set(key, s);
    }
  }
  console.log('  ms per transaction  max ms  count  statement');
  for (const [key, s] of [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
    console.log(`  ${fixed(s.ms / txs.length).padStart(18)}  ${String(Math.round(s.max)).padStart(6)}  ${String(s.count).padStart(5)}  ${key}`);
  }
  const sizes = [0, 100, 200, 300, 400, 600, 1000, Infinity];
  const bySize = [];
  for (let i = 0; i < sizes.length - 1; i++) {
    const these = txs.filter((t) => (inboxOf(t)[2] ?? 0) >= sizes[i] && (inboxOf(t)[2] ?? 0) < sizes[i + 1]);
    if (these.length > 0) bySize.push(`${sizes[i]}-${sizes[i + 1]} events: ${these.length} × ${Math.round(these.reduce((a, t) => a + t.ms, 0) / these.length)} ms`);
  }
  console.log(`  by size: ${bySize.join(', ')}`);
}
