#!/usr/bin/env node
'use strict';
// `npm run simulate:demo`: live partner order traffic for the demo sellers of a platform started with
// `npm start`. Each order is placed, then shipped (sometimes cancelled first), then mostly
// delivered, now and then returned or sent back to origin, as the marketplace would report it,
// through the signed HTTPS partner ingest (POST /v1/partner-events on exports). Ctrl-C stops it
// cleanly with a summary. Node builtins only, like the other scripts here.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CREDENTIALS_FILE = path.join(ROOT, '.local', 'dev', 'credentials.json');
/** Partner keys this script created, kept (mode 0600) so later runs reuse them instead of piling up keys. */
const KEYS_FILE = path.join(ROOT, '.local', 'dev', 'simulator-partner-keys.json');

const USAGE = `usage: npm run simulate:demo -- [options]

Sends order events (placed, shipped, customs-cleared, delivered, returned, cancelled, returned to
origin) for the demo sellers' marketplace accounts to the exports service of \`npm start\`, signed
with a partner key per marketplace (created through the operator API on first use). The reporting
views and the dashboard follow as the orders ship.

  --rate N        new orders per second (default 2; 0.1 to 50)
  --orders N      place N orders, let their lifecycles finish, then stop (default: until Ctrl-C)
  --exports URL   the exports service (default http://127.0.0.1:$NIRYAT_EXPORTS_PORT or :3002)
  --onboarding URL  the onboarding service, to check the accounts are linked (default :3001)
  --seed N        the same orders for the same seed (default: different every run)
  --quiet         the summary only, no progress lines

The operator token comes from $NIRYAT_OPERATOR_TOKEN or npm start's .local/dev/credentials.json.`;

/** What each demo seller sells (by its product's ITC-HS code): SKUs, a US price range per unit, a quantity range. */
const CATALOGUE = {
  '74198030': { sku: 'MBH-BRASS', variants: ['VASE-12IN', 'DIYA-SET4', 'URLI-BOWL', 'CANDLE-STAND'], usd: [14, 95], quantity: [2, 24] },
  '64039990': { sku: 'ALF-SHOE', variants: ['OXFORD-BRN-9', 'LOAFER-BLK-8', 'BROGUE-TAN-10', 'CHELSEA-BLK-9'], usd: [38, 92], quantity: [2, 30] },
  '57011010': { sku: 'BCW-RUG', variants: ['KNOT-5X8-IVORY', 'KNOT-4X6-INDIGO', 'KNOT-8X10-RUST'], usd: [240, 1650], quantity: [1, 3] },
  '63049190': { sku: 'PHT', variants: ['CUSHION-COVER-SET5', 'BEDSPREAD-QUEEN', 'THROW-COTTON'], usd: [11, 68], quantity: [6, 120] },
  '69139000': { sku: 'JBP', variants: ['BOWL-SET3', 'PLATTER-12IN', 'KNOB-SET10', 'VASE-8IN'], usd: [12, 80], quantity: [2, 36] },
  '61091000': { sku: 'TKE-TEE', variants: ['CREW-WHT-M', 'CREW-NVY-L', 'VNECK-BLK-M', 'POLO-GRY-XL'], usd: [4, 13], quantity: [40, 600] },
};

/** Where each marketplace's cross-border buyers are, with a weight; every currency has a seed FX rate. */
const MARKETS = {
  amazon: [['US', 40], ['GB', 14], ['DE', 10], ['AE', 10], ['CA', 8], ['AU', 7], ['SG', 6], ['JP', 5]],
  flipkart: [['US', 75], ['CA', 15], ['GB', 10]],
  walmart: [['US', 75], ['CA', 15], ['GB', 10]],
};
const CURRENCY_OF = { US: 'USD', GB: 'GBP', DE: 'EUR', AE: 'AED', CA: 'CAD', AU: 'AUD', SG: 'SGD', JP: 'JPY' };
/** Rough units per US dollar, for list prices in the buyer's currency (the service values them at the reference rates). */
const PER_USD = { USD: 1, GBP: 0.76, EUR: 0.86, AED: 3.6725, CAD: 1.4, AUD: 1.53, SGD: 1.3, JPY: 154 };
const MINOR_DIGITS = { JPY: 0 };

const CANCEL_REASONS = ['Buyer cancelled before dispatch', 'Payment not confirmed', 'Out of stock at the seller'];
const RETURN_REASONS = ['Colour differs from the listing', 'Arrived damaged', 'Wrong size'];

/** Every demo seller's linked account, with what it sells (from the demo seed). */
function demoAccounts() {
  const { DEMO_SELLERS } = require('./demo-seed');
  return DEMO_SELLERS.flatMap((seller) =>
    seller.accounts.map(([partner, accountId]) => ({ partner, accountId, seller: seller.legalName, hsCode: seller.product[0] })),
  );
}

/** mulberry32, for `--seed` and the tests. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The calendar day in India of an instant: the shipping bill's date. */
function indianDate(ms) {
  return new Date(ms + 330 * 60_000).toISOString().slice(0, 10);
}

/**
 * One order's events as the partner would send them, each with the instant it happens (`at`, ms):
 * placed now; shipped 1-4 s later with the same lines (4% are cancelled instead); then mostly
 * customs-cleared and delivered, 7% of deliveries partly returned, 3% of shipments back to origin,
 * the rest still in transit. Pure: the same `random` and `now` give the same order.
 */
function planOrder({ account, random = Math.random, now = Date.now() }) {
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const seconds = (min, max) => Math.round((min + random() * (max - min)) * 1000);
  const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
  const weighted = (pairs) => {
    let roll = random() * pairs.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, weight] of pairs) if ((roll -= weight) < 0) return value;
    return pairs[0][0];
  };

  const product = CATALOGUE[account.hsCode];
  if (!product) throw new Error(`no catalogue for HS code ${account.hsCode} (${account.seller})`);
  const destinationCountry = weighted(MARKETS[account.partner]);
  const currency = CURRENCY_OF[destinationCountry];
  const orderId = { amazon: `408-${digits(7)}-${digits(7)}`, flipkart: `OD${digits(18)}`, walmart: `WM${digits(13)}` }[account.partner];
  const variants = [...product.variants].sort(() => random() - 0.5).slice(0, int(1, Math.min(3, product.variants.length)));
  const lines = variants.map((variant, i) => {
    const usd = product.usd[0] + random() * (product.usd[1] - product.usd[0]);
    return {
      lineId: `L${i + 1}`,
      sku: `${product.sku}-${variant}`,
      hsCode: account.hsCode,
      quantity: int(product.quantity[0], product.quantity[1]),
      unitPriceMinor: Math.max(1, Math.round(usd * PER_USD[currency] * 10 ** (MINOR_DIGITS[currency] ?? 2))),
    };
  });

  let at = now;
  const steps = [['placed', at, { lines }]];
  if (random() < 0.04) {
    steps.push(['cancelled', (at += seconds(1, 3)), { reason: CANCEL_REASONS[int(0, CANCEL_REASONS.length - 1)] }]);
  } else {
    at += seconds(1, 4);
    const bill = random() < 0.85 ? { shippingBillNumber: `${int(1, 9)}${digits(6)}`, shippingBillDate: indianDate(at) } : {};
    steps.push(['shipped', at, { lines, ...bill }]);
    const fate = random();
    if (fate < 0.03) {
      steps.push(['returned-to-origin', (at += seconds(3, 6)), { reason: 'Buyer unreachable at the delivery address' }]);
    } else if (fate < 0.8) {
      if (random() < 0.4) steps.push(['customs-cleared', (at += seconds(1, 3)), {}]);
      steps.push(['delivered', (at += seconds(2, 6)), {}]);
      if (random() < 0.07) {
        const line = lines[int(0, lines.length - 1)];
        steps.push([
          'returned',
          (at += seconds(2, 5)),
          { lines: [{ lineId: line.lineId, quantity: int(1, line.quantity) }], reason: RETURN_REASONS[int(0, RETURN_REASONS.length - 1)] },
        ]);
      }
    }
  }
  const events = steps.map(([kind, when, extra], i) => ({
    at: when,
    kind,
    type: `niryat.partner.order.${kind}.v1`,
    data: {
      eventId: `${orderId}-${i + 1}-${kind}`,
      orderId,
      sequence: i + 1,
      occurredAt: new Date(when).toISOString(),
      sellerAccountId: account.accountId,
      destinationCountry,
      currency,
      ...extra,
    },
  }));
  return { partner: account.partner, orderId, accountId: account.accountId, events };
}

/** The README's signature: `v1=` hex HMAC-SHA256, keyed with the secret's text, of `<timestamp>.<body>`. */
function signRequest({ keyId, secret, body, timestamp = Math.floor(Date.now() / 1000) }) {
  const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return { 'X-Niryat-Key-Id': keyId, 'X-Niryat-Timestamp': String(timestamp), 'X-Niryat-Signature': `v1=${signature}` };
}

function parseArgs(argv, env = process.env) {
  const options = {
    rate: 2,
    orders: undefined,
    exportsUrl: `http://127.0.0.1:${env.NIRYAT_EXPORTS_PORT || 3002}`,
    onboardingUrl: `http://127.0.0.1:${env.NIRYAT_ONBOARDING_PORT || 3001}`,
    seed: undefined,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    const number = (min, max, integer) => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
        throw new Error(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not ${raw}`);
      }
      return n;
    };
    if (flag === '-h' || flag === '--help') return { help: true };
    else if (flag === '--rate') options.rate = number(0.1, 50, false);
    else if (flag === '--orders') options.orders = number(1, 10_000_000, true);
    else if (flag === '--exports') options.exportsUrl = value().replace(/\/+$/, '');
    else if (flag === '--onboarding') options.onboardingUrl = value().replace(/\/+$/, '');
    else if (flag === '--seed') options.seed = number(0, 2 ** 31, true);
    else if (flag === '--quiet') options.quiet = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

class HttpError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} answered ${status}: ${body.slice(0, 300)}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new HttpError(method, url, response.status, text);
  return text ? JSON.parse(text) : undefined;
}

function operatorToken(env = process.env) {
  if (env.NIRYAT_OPERATOR_TOKEN) return env.NIRYAT_OPERATOR_TOKEN;
  if (!fs.existsSync(CREDENTIALS_FILE)) throw new Error(`no operator token: set NIRYAT_OPERATOR_TOKEN, or run npm start (it writes ${path.relative(ROOT, CREDENTIALS_FILE)})`);
  const operator = JSON.parse(fs.readFileSync(CREDENTIALS_FILE, 'utf8')).credentials.find((c) => c.role === 'operator');
  if (!operator) throw new Error(`${path.relative(ROOT, CREDENTIALS_FILE)} has no operator credential`);
  return operator.token;
}

function readStoredKeys() {
  try {
    return JSON.parse(fs.readFileSync(KEYS_FILE, 'utf8')).keys ?? {};
  } catch {
    return {};
  }
}

function storeKeys(keys) {
  fs.mkdirSync(path.dirname(KEYS_FILE), { recursive: true });
  const note = 'Partner signing keys created by npm run simulate for the local platform. Local development only.';
  const temporary = `${KEYS_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify({ note, keys }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, KEYS_FILE);
}

/**
 * A working key for each partner: the one stored from an earlier run while the service still has it
 * active, else a new one through the operator API (its secret is in that answer only, so it is kept).
 */
async function ensurePartnerKeys(partners, exportsUrl, token, log) {
  const stored = readStoredKeys();
  const keys = {};
  for (const partner of partners) {
    const listed = await call('GET', `${exportsUrl}/v1/partners/${partner}/keys`, token);
    const mine = stored[partner];
    if (mine && listed.items.some((k) => k.keyId === mine.keyId && k.status === 'active')) {
      keys[partner] = { ...mine, fresh: false };
      continue;
    }
    let created;
    try {
      created = await call('POST', `${exportsUrl}/v1/partners/${partner}/keys`, token);
    } catch (error) {
      if (error.status === 409) {
        const active = listed.items.filter((k) => k.status === 'active').map((k) => k.keyId);
        throw new Error(
          `${partner} already has two active partner keys (${active.join(', ')}) and the simulator holds neither secret: revoke one ` +
            `(curl -X DELETE ${exportsUrl}/v1/partners/${partner}/keys/${active[0]} -H "Authorization: Bearer $NIRYAT_OPERATOR_TOKEN") and run again`,
        );
      }
      throw error;
    }
    log(`created partner key ${created.keyId} for ${partner} (secret kept in ${path.relative(ROOT, KEYS_FILE)}, mode 0600)`);
    keys[partner] = { keyId: created.keyId, secret: created.secret, fresh: true };
    stored[partner] = { keyId: created.keyId, secret: created.secret, createdAt: created.createdAt };
    storeKeys(stored);
  }
  return keys;
}

/** The demo accounts onboarding has linked to a seller; events of others would only be parked. */
async function linkedAccounts(accounts, onboardingUrl, token, log) {
  const linked = [];
  for (const account of accounts) {
    try {
      await call('GET', `${onboardingUrl}/v1/marketplace-accounts/${account.partner}/${encodeURIComponent(account.accountId)}`, token);
      linked.push(account);
    } catch (error) {
      if (error.status !== 404) throw error;
      log(`${account.partner} account ${account.accountId} (${account.seller}) is not linked to a seller: left out`);
    }
  }
  return linked;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TICK_MS = 250;
const MAX_ATTEMPTS = 6;

/**
 * The running simulation: a timeline of events due, new orders at `rate` per second (a token
 * bucket, so 0.5/s is one every two seconds), and every 250 ms one signed batch per partner with
 * what is due. A rejected event is counted and reported, never fatal; a failed request is retried
 * with its events, up to a few times.
 */
class Simulation {
  constructor({ accounts, keys, exportsUrl, rate, orders, random, log }) {
    Object.assign(this, { accounts, keys, exportsUrl, rate, limit: orders, random, log });
    this.timeline = [];
    this.budget = 1; // the first order goes out at once
    this.stopping = false;
    this.startedAt = Date.now();
    this.counts = { orders: 0, placed: 0, shipped: 0, 'customs-cleared': 0, delivered: 0, returned: 0, 'returned-to-origin': 0, cancelled: 0 };
    this.events = { sent: 0, accepted: 0, duplicate: 0, rejected: 0, failed: 0, retries: 0 };
    this.rejections = new Map();
  }

  get done() {
    return this.limit !== undefined && this.counts.orders >= this.limit && this.timeline.length === 0;
  }

  async run() {
    let lastProgress = Date.now();
    while (!this.stopping && !this.done) {
      const now = Date.now();
      this.placeOrders(now);
      await this.sendDue(now);
      if (now - lastProgress >= 5_000) {
        lastProgress = now;
        this.log(this.progressLine());
      }
      await sleep(Math.max(0, TICK_MS - (Date.now() - now)));
    }
  }

  placeOrders(now) {
    if (this.limit !== undefined && this.counts.orders >= this.limit) return;
    this.budget = Math.min(this.budget + (this.rate * TICK_MS) / 1000, Math.max(1, this.rate));
    while (this.budget >= 1 && (this.limit === undefined || this.counts.orders < this.limit)) {
      this.budget -= 1;
      const account = this.accounts[Math.floor(this.random() * this.accounts.length)];
      const order = planOrder({ account, random: this.random, now });
      this.counts.orders += 1;
      for (const event of order.events) this.timeline.push({ ...event, partner: order.partner, attempts: 0 });
    }
    this.timeline.sort((a, b) => a.at - b.at);
  }

  async sendDue(now) {
    const due = [];
    while (this.timeline.length > 0 && this.timeline[0].at <= now) due.push(this.timeline.shift());
    for (const partner of [...new Set(due.map((e) => e.partner))]) {
      const events = due.filter((e) => e.partner === partner);
      for (let i = 0; i < events.length; i += 500) await this.post(partner, events.slice(i, i + 500));
    }
  }

  async post(partner, events) {
    const key = this.keys[partner];
    const body = JSON.stringify({ events: events.map((e) => ({ type: e.type, data: e.data })) });
    let response;
    try {
      response = await fetch(`${this.exportsUrl}/v1/partner-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest({ keyId: key.keyId, secret: key.secret, body }) },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      return this.retry(events, 2_000, `${partner}: ${error.cause?.code ?? error.message}`);
    }
    const text = await response.text();
    if (response.status === 200) {
      const answer = JSON.parse(text);
      this.events.sent += events.length;
      for (const result of answer.results) {
        const event = events[result.index];
        if (result.status === 'rejected') {
          this.events.rejected += 1;
          const first = this.rejections.get(result.code);
          this.rejections.set(result.code, { count: (first?.count ?? 0) + 1, example: first?.example ?? `${event.data.eventId}: ${result.reason}${result.errors ? ` ${JSON.stringify(result.errors.slice(0, 2))}` : ''}` });
          if (!first) this.log(`rejected ${partner} ${event.type} ${event.data.eventId}: ${result.code} ${result.reason}`);
          continue;
        }
        this.events[result.status] += 1;
        if (result.status === 'accepted') this.counts[event.kind] += 1;
      }
      return undefined;
    }
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after')) || 1;
      return this.retry(events, retryAfter * 1000, `${partner}: rate limited`);
    }
    // A key just created may not have reached the instance yet (it re-reads keys at most once a second).
    if (response.status === 401 && key.fresh && Date.now() - this.startedAt < 10_000) return this.retry(events, 1_000, `${partner}: key not active yet`);
    return this.retry(events, 2_000, `${partner}: POST /v1/partner-events answered ${response.status}: ${text.slice(0, 200)}`);
  }

  retry(events, delayMs, reason) {
    const keep = events.filter((e) => e.attempts + 1 < MAX_ATTEMPTS);
    const dropped = events.length - keep.length;
    if (dropped > 0) {
      this.events.failed += dropped;
      this.log(`gave up on ${dropped} event(s) after ${MAX_ATTEMPTS} attempts: ${reason}`);
    } else if (events.every((e) => e.attempts === 0)) {
      this.log(`will retry ${events.length} event(s) in ${delayMs / 1000} s: ${reason}`);
    }
    this.events.retries += keep.length;
    const at = Date.now() + delayMs;
    for (const event of keep) this.timeline.push({ ...event, attempts: event.attempts + 1, at: Math.max(event.at, at) });
    this.timeline.sort((a, b) => a.at - b.at);
  }

  progressLine() {
    const c = this.counts;
    const e = this.events;
    return (
      `orders ${c.orders} (placed ${c.placed}, shipped ${c.shipped}, delivered ${c.delivered}, returned ${c.returned + c['returned-to-origin']}, cancelled ${c.cancelled}) · ` +
      `events sent ${e.sent}: ${e.accepted} accepted, ${e.duplicate} duplicate, ${e.rejected} rejected` +
      `${e.failed ? `, ${e.failed} given up` : ''} · ${this.timeline.length} pending`
    );
  }

  summary() {
    const seconds = Math.round((Date.now() - this.startedAt) / 100) / 10;
    const lines = [`simulated ${seconds} s: ${this.progressLine()}`];
    for (const [code, { count, example }] of this.rejections) lines.push(`  rejected ${count} × ${code}, e.g. ${example}`);
    if (this.timeline.length > 0) lines.push(`  ${this.timeline.length} event(s) of orders under way were not sent (stopped before they were due)`);
    return lines.join('\n');
  }
}

async function main() {
  const log = (line) => process.stdout.write(`[simulate] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let simulation;
  const { onStop } = require('./lifecycle');
  onStop((reason) => {
    if (simulation && !simulation.stopping) {
      simulation.stopping = true;
      log(`${reason}: stopping after the request in flight`);
    } else {
      process.exit(130);
    }
  });

  try {
    const token = operatorToken();
    const health = await fetch(`${options.exportsUrl}/health`, { signal: AbortSignal.timeout(5_000) }).catch((error) => error);
    if (!(health instanceof Response) || health.status !== 200) {
      throw new Error(`the exports service does not answer at ${options.exportsUrl}/health (${health.status ?? health.cause?.code ?? health.message}): is npm start running?`);
    }
    const accounts = await linkedAccounts(demoAccounts(), options.onboardingUrl, token, log);
    if (accounts.length === 0) throw new Error('no demo marketplace account is linked to a seller yet: npm start seeds them on a fresh platform');
    const keys = await ensurePartnerKeys([...new Set(accounts.map((a) => a.partner))], options.exportsUrl, token, log);
    simulation = new Simulation({
      accounts,
      keys,
      exportsUrl: options.exportsUrl,
      rate: options.rate,
      orders: options.orders,
      random: options.seed === undefined ? Math.random : seededRandom(options.seed),
      log: options.quiet ? () => undefined : log,
    });
    log(
      `${options.rate} order(s)/s for ${accounts.length} accounts (${accounts.map((a) => `${a.partner}:${a.accountId}`).join(', ')}) → ` +
        `${options.exportsUrl}/v1/partner-events${options.orders ? `; stopping after ${options.orders} orders` : '; Ctrl-C stops'}`,
    );
    await simulation.run();
    log(simulation.summary());
    return 0;
  } catch (error) {
    if (simulation) log(simulation.summary());
    process.stderr.write(`simulate: ${error.message}\n`);
    return 1;
  }
}

module.exports = { planOrder, signRequest, parseArgs, demoAccounts, seededRandom, CATALOGUE, MARKETS };

if (require.main === module) main().then((code) => process.exit(code));
