'use strict';
// Diagnostic hook for bench:freshness: times every statement of every transaction the reporting
// service runs, and writes one JSON line per transaction to $TRACE_FILE. Load it into the service:
//
//   npm run bench:freshness -- --service-env "NODE_OPTIONS=--require ./apps/reporting/bench/trace/statements.js" \
//     --service-env TRACE_FILE=artifacts/statements.jsonl
//   node apps/reporting/bench/trace/summary.js artifacts/statements.jsonl
//
// A line: {"at": ms since the service started, "ms": the transaction's duration, "q": [[statement
// head, ms, rows]]}, rows being the length of the statement's second array parameter (the events
// of an inbox insert). Not used by the service or the tests.
const fs = require('node:fs');
const pg = require('pg');

const file = process.env.TRACE_FILE;
if (!file) throw new Error('statements.js: set TRACE_FILE');
const started = Date.now();
const lines = [];
const open = new WeakMap();
const query = pg.Client.prototype.query;

pg.Client.prototype.query = function (text, values) {
  const sql = typeof text === 'string' ? text : text && text.text;
  const result = query.apply(this, arguments);
  if (typeof sql !== 'string' || !result || typeof result.then !== 'function') return result;
  const head = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
  const start = performance.now();
  if (/^(START TRANSACTION|BEGIN)/i.test(head)) open.set(this, { at: Date.now() - started, start, q: [] });
  const done = () => {
    const tx = open.get(this);
    if (!tx) return;
    const rows = Array.isArray(values) && Array.isArray(values[1]) ? values[1].length : undefined;
    tx.q.push([head, +(performance.now() - start).toFixed(1), rows]);
    if (/^(COMMIT|ROLLBACK)/i.test(head)) {
      lines.push(JSON.stringify({ at: tx.at, ms: +(performance.now() - tx.start).toFixed(1), q: tx.q }));
      open.delete(this);
    }
  };
  result.then(done, done);
  return result;
};

const flush = () => {
  if (lines.length > 0) fs.appendFileSync(file, lines.splice(0).join('\n') + '\n');
};
setInterval(flush, 500).unref();
process.on('exit', flush);
