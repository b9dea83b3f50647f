import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Message, Producer } from 'kafkajs';
import { CURRENCY_OF, planOrders, PlannedEvent, PlannedOrder } from './orders';
import { call, connectedProducer, HttpError, kafkaOf, partnerTopicName, PlatformTarget, signedHeaders } from './platform';
import { Random } from './random';
import { FxRateRow, GroundTruth, rateOn, TotalsRow } from './truth';
import { ViewsTruth, viewsTruth } from './views-truth';
import { Marketplace, MARKETPLACES, planWorld, SimSeller, World } from './world';

export type Transport = 'kafka' | 'http' | 'mixed';

export interface SimulationOptions {
  seed: number;
  /** Names this world on the platform; default `s<seed>`. */
  tag?: string;
  sellers: number;
  orders: number;
  /** Events per second, or as fast as the platform takes them. */
  rate: number | 'max';
  windowDays: number;
  /** Shares (0-1) of events sent twice, of orders whose events arrive shuffled, of garbage records beside the events. */
  duplicates: number;
  reorder: number;
  garbage: number;
  transport: Transport;
  /** Share of marketplace accounts linked only half-way through the run (their events park meanwhile). */
  lateLinks: number;
  /** Where partner signing keys are kept between runs (HTTP transport). */
  keysFile: string;
  /** Where the run's record (world, truth, expectations) is written, for `verify`. */
  recordFile: string;
  log: (line: string) => void;
  now?: number;
  /**
   * Called once the world exists, just before the stream begins, and awaited (the fault suite starts
   * its faults then; the benchmark stops the consumers it times, so the stream waits on the topic).
   */
  onStreaming?: () => void | Promise<void>;
}

export type GarbageKind = 'not-json' | 'wrong-shape' | 'impossible-date' | 'foreign-seller' | 'unknown-account' | 'forged-source';

/** What `verify` needs: the world as created, and what the platform must show. */
export interface SimulationRecord {
  tag: string;
  seed: number;
  startedAt: string;
  finishedAt: string;
  options: Omit<SimulationOptions, 'log' | 'keysFile' | 'recordFile' | 'now'>;
  programmes: string[];
  /** Key prefix of every record of this run on the partner topic: `<partner>:SIM-<TAG>-`. */
  orderPrefix: string;
  sent: { events: number; duplicates: number; shuffledOrders: number; kafka: number; http: number; garbage: Partial<Record<GarbageKind, number>> };
  expected: {
    rows: TotalsRow[];
    cumulativeUsdMinor: Record<string, string>;
    /** Dead letters of the partner orders consumer group, by code. */
    deadLetters: Record<string, number>;
    /** Events of accounts linked nowhere, waiting parked. */
    parked: { partner: Marketplace; sellerAccountId: string; events: number }[];
    /** The seller funnel and programme progress; absent from the records of earlier versions. */
    views?: ViewsTruth;
  };
}

export interface Emission {
  partner: Marketplace;
  key: string;
  type: string;
  id: string;
  time: string;
  /** The JSON value, or raw text for garbage that is not JSON. */
  value: string;
  via: 'kafka' | 'http';
  /** The ce_source, when it is not the partner whose topic carries the record (a forgery). */
  source?: string;
}

const DAY_MS = 86_400_000;
const PER_USD_RATE: Record<string, number> = { USD: 1, GBP: 0.76, EUR: 0.86, AED: 3.6725, CAD: 1.4, AUD: 1.53, SGD: 1.3, JPY: 154 };

function writeJson(file: string, value: unknown, mode?: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, mode === undefined ? undefined : { mode });
  renameSync(temporary, file);
}

/** Creates the world through the public APIs: programmes, sellers (registered, reviewed, approved, enrolled), their accounts. */
async function createWorld(target: PlatformTarget, world: World, log: (line: string) => void): Promise<Map<number, string>> {
  const { urls, tokens } = target;
  for (const p of world.programmes) {
    try {
      await call('POST', `${urls.onboarding}/v1/programmes`, tokens.operator, {
        id: p.id, name: p.name, partner: p.partner, marketplaces: p.marketplaces, kind: 'export', allIndia: p.allIndia, states: p.states, startsOn: p.startsOn, milestoneStepUsd: p.milestoneStepUsd,
      });
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409)) throw error;
      throw new Error(`programme ${p.id} exists already: world ${world.tag} was created on this platform before; pick another --seed or --tag (or verify it: npm run simulate -- verify --tag ${world.tag})`);
    }
  }
  const ids = new Map<number, string>();
  let done = 0;
  for (const seller of world.sellers) {
    const created = await call<{ id: string }>('POST', `${urls.onboarding}/v1/sellers`, tokens.registrant, registration(seller));
    ids.set(seller.index, created.id);
    if (!seller.unapproved) {
      await call('POST', `${urls.onboarding}/v1/sellers/${created.id}/start-review`, tokens.reviewer, {});
      await call('POST', `${urls.onboarding}/v1/sellers/${created.id}/approve`, tokens.reviewer, {});
      for (const e of seller.enrolments) await call('POST', `${urls.onboarding}/v1/sellers/${created.id}/enrolments`, tokens.reviewer, { programmeId: e.programmeId, enrolledSince: e.since });
      for (const a of seller.accounts.filter((x) => !x.linkLate)) await linkAccount(target, created.id, a.marketplace, a.accountId);
    }
    if (++done % 10 === 0 || done === world.sellers.length) log(`world ${world.tag}: ${done} of ${world.sellers.length} sellers registered`);
  }
  return ids;
}

const linkAccount = (target: PlatformTarget, sellerId: string, marketplace: Marketplace, accountId: string) =>
  call('POST', `${target.urls.onboarding}/v1/sellers/${sellerId}/marketplace-accounts`, target.tokens.operator, { marketplace, accountId });

function registration(seller: SimSeller) {
  const digits = (n: number, from: number) => String(from).padStart(n, '0').slice(-n);
  return {
    legalName: seller.legalName,
    tradeName: `${seller.district} ${seller.product}`.slice(0, 80),
    constitution: 'private-limited',
    gstin: seller.gstin,
    pan: seller.pan,
    udyamNumber: seller.udyamNumber,
    iec: seller.pan,
    stateCode: seller.stateCode,
    district: seller.district,
    address: { line1: `Unit ${seller.index + 1}, Industrial Estate`, city: seller.district, pinCode: seller.pinCode },
    contact: { email: `exports.${seller.pan.toLowerCase()}@example.in`, mobile: `+919${digits(9, 100_000_000 + seller.index * 7919)}` },
    bankAccount: { ifsc: 'SBIN0001234', accountNumber: digits(12, 300_000_000_000 + seller.index * 104_729) },
    products: [{ hsCode: seller.hsCode, description: seller.product }],
    investmentInPlantAndMachinery: 18_000_000,
    annualTurnover: 120_000_000,
    exportTurnover: 45_000_000,
    programmes: seller.programmes,
  };
}

/**
 * The reference rates every order needs are in force from before the window: a rate the platform
 * lacks on the window's first day is loaded (deterministic, near the market's). Returns every rate,
 * as the platform has them, for the truth.
 */
async function ensureRates(target: PlatformTarget, world: World, log: (line: string) => void): Promise<FxRateRow[]> {
  const read = async () => (await call<{ items: FxRateRow[] }>('GET', `${target.urls.exports}/v1/fx-rates`, target.tokens.analyst)).items;
  const rates = await read();
  const currencies = [...new Set(['USD', ...Object.values(CURRENCY_OF)])];
  const day = new Date(Date.parse(`${world.window.from}T00:00:00Z`) - 7 * DAY_MS).toISOString().slice(0, 10);
  const usd = rateOn(rates, 'USD', day) ?? '88.2500';
  const missing = currencies.filter((c) => rateOn(rates, c, world.window.from) === undefined);
  if (missing.length === 0) return rates;
  const loading = missing.map((currency) => ({ currency, effectiveFrom: day, inrPerUnit: currency === 'USD' ? usd : (Number(usd) / PER_USD_RATE[currency]).toFixed(4) }));
  await call('POST', `${target.urls.exports}/v1/fx-rates`, target.tokens.operator, { rates: loading });
  log(`loaded reference rates from ${day} for ${missing.join(', ')}`);
  return read();
}

interface PartnerKey {
  keyId: string;
  secret: string;
}

/** A signing key per partner: the one kept from an earlier run while still active, else a new one (kept, mode 0600). */
async function partnerKeys(target: PlatformTarget, keysFile: string, log: (line: string) => void): Promise<Record<Marketplace, PartnerKey>> {
  let stored: Record<string, PartnerKey> = {};
  try {
    stored = JSON.parse(readFileSync(keysFile, 'utf8')).keys ?? {};
  } catch {
    stored = {};
  }
  const keys = {} as Record<Marketplace, PartnerKey>;
  for (const partner of MARKETPLACES) {
    const listed = await call<{ items: { keyId: string; status: string }[] }>('GET', `${target.urls.exports}/v1/partners/${partner}/keys`, target.tokens.operator);
    const mine = stored[partner];
    if (mine && listed.items.some((k) => k.keyId === mine.keyId && k.status === 'active')) {
      keys[partner] = mine;
      continue;
    }
    const created = await call<PartnerKey>('POST', `${target.urls.exports}/v1/partners/${partner}/keys`, target.tokens.operator).catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 409) {
        throw new Error(`${partner} has two active partner keys and the simulator holds neither secret: revoke one (DELETE /v1/partners/${partner}/keys/{keyId}) or use --transport kafka`);
      }
      throw error;
    });
    keys[partner] = { keyId: created.keyId, secret: created.secret };
    stored[partner] = keys[partner];
    writeJson(keysFile, { note: 'Partner signing keys of npm run simulate, for the local platform only.', keys: stored }, 0o600);
    log(`created partner key ${created.keyId} for ${partner}`);
  }
  return keys;
}

const eventType = (e: PlannedEvent) => `niryat.partner.order.${e.kind}.v1`;

/** An order's events as its partner sends them, in sequence order. */
export function emissionsOf(order: PlannedOrder, via: 'kafka' | 'http'): Emission[] {
  return order.events.map((e) => ({ partner: order.partner, key: `${order.partner}:${order.orderId}`, type: eventType(e), id: e.payload.eventId, time: e.payload.occurredAt, value: JSON.stringify(e.payload), via }));
}

/** An emission as the partner's Kafka record: keyed by partner and order, with CloudEvents headers. */
export function partnerMessage(e: Emission): Message {
  return {
    key: e.key,
    value: e.value,
    headers: { ce_id: e.id, ce_type: e.type, ce_source: e.source ?? e.partner, ce_time: e.time, ce_specversion: '1.0', 'content-type': 'application/json', ce_subject: e.key.slice(e.key.indexOf(':') + 1) },
  };
}

/** Records that are not order events a partner should send: refused with a reason, or parked. */
function garbageRecord(kind: GarbageKind, n: number, world: World, random: Random, sample: PlannedOrder): Emission {
  const orderId = `SIM-${world.tag.toUpperCase()}-G${String(n).padStart(6, '0')}`;
  const base = { ...sample.events[0].payload, orderId, eventId: `${orderId}-1-placed` };
  const emit = (partner: Marketplace, value: string, eventId = base.eventId): Emission => ({
    partner, key: `${partner}:${orderId}`, type: 'niryat.partner.order.placed.v1', id: eventId, time: base.occurredAt, value, via: 'kafka',
  });
  switch (kind) {
    case 'not-json':
      return emit(sample.partner, `{"eventId": "${base.eventId}", "orderId": `);
    case 'wrong-shape':
      return emit(sample.partner, JSON.stringify({ ...base, lines: undefined, sequence: 'first' }));
    case 'impossible-date':
      return { ...emit(sample.partner, JSON.stringify({ ...base, eventId: `${orderId}-1-shipped`, lines: (sample.events[0].payload.lines ?? []), shippingBillNumber: '4412940', shippingBillDate: `${world.window.to.slice(0, 4)}-02-30` }), `${orderId}-1-shipped`), type: 'niryat.partner.order.shipped.v1' };
    case 'foreign-seller': {
      // An account of this world linked on one marketplace, reported by another.
      const other = MARKETPLACES.find((m) => m !== sample.partner) as Marketplace;
      return emit(other, JSON.stringify(base));
    }
    case 'unknown-account':
      return emit(sample.partner, JSON.stringify({ ...base, sellerAccountId: `${sample.account.accountId}-X${random.int(1, 9)}` }));
    case 'forged-source': {
      // On another partner's own topic, speaking for this one: the topic says who spoke.
      const other = MARKETPLACES.find((m) => m !== sample.partner) as Marketplace;
      return { ...emit(other, JSON.stringify(base)), key: `${sample.partner}:${orderId}`, source: sample.partner };
    }
  }
}

/**
 * Runs a simulation: creates the world, loads what its orders need, plans every order and the
 * truth of it, then sends the events (interleaved across orders, some shuffled within an order,
 * some twice, garbage beside them) over Kafka and signed HTTP at the rate asked, linking the late
 * accounts half-way. Writes the record `verify` compares the platform with.
 */
export async function simulate(target: PlatformTarget, options: SimulationOptions): Promise<SimulationRecord> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  const tag = options.tag ?? `s${options.seed}`;
  const world = planWorld({ seed: options.seed, tag, sellers: options.sellers, lateLinks: options.lateLinks, windowDays: options.windowDays, now: options.now ?? Date.now() });
  log(`world ${tag}: ${world.sellers.length} sellers in ${new Set(world.sellers.map((s) => s.stateCode)).size} states, programmes ${world.programmes.map((p) => p.id).join(', ')}; shipments ${world.window.from} to ${world.window.to}`);
  const sellerIds = await createWorld(target, world, log);
  const rates = await ensureRates(target, world, log);
  const keys = options.transport === 'kafka' ? undefined : await partnerKeys(target, options.keysFile, log);

  const random = new Random(options.seed).fork('stream');
  const orders = planOrders(world, options.orders, options.seed);
  const truth = new GroundTruth(world, rates);
  for (const order of orders) truth.add(order);

  // Each order's events in sequence order, or shuffled; then interleaved across a window of orders in flight.
  let shuffledOrders = 0;
  const queues = orders.map((order) => {
    const via: 'kafka' | 'http' = options.transport === 'mixed' ? (random.chance(0.5) ? 'kafka' : 'http') : options.transport;
    let events = emissionsOf(order, via);
    if (random.chance(options.reorder)) {
      events = random.shuffle(events);
      shuffledOrders++;
    }
    return events;
  });
  const interleaved: Emission[] = [];
  const inFlight: Emission[][] = [];
  let next = 0;
  while (next < queues.length || inFlight.length > 0) {
    while (inFlight.length < 64 && next < queues.length) inFlight.push([...queues[next++]]);
    const at = random.int(0, inFlight.length - 1);
    interleaved.push(inFlight[at].shift() as Emission);
    if (inFlight[at].length === 0) inFlight.splice(at, 1);
  }
  // Some events again, a little later, by either way in a mixed run (a partner's retry may take the other transport).
  const again = new Map<number, Emission[]>();
  let duplicates = 0;
  interleaved.forEach((emission, i) => {
    if (!random.chance(options.duplicates)) return;
    const at = Math.min(interleaved.length - 1, i + random.int(1, 40));
    again.set(at, [...(again.get(at) ?? []), { ...emission, via: options.transport === 'mixed' ? (random.chance(0.5) ? 'kafka' : 'http') : emission.via }]);
    duplicates++;
  });
  const stream = interleaved.flatMap((emission, i) => [emission, ...(again.get(i) ?? [])]);
  const garbageCount = Math.round(stream.length * options.garbage);
  const garbage: Partial<Record<GarbageKind, number>> = {};
  const deadLetters: Record<string, number> = {};
  const parked = new Map<string, { partner: Marketplace; sellerAccountId: string; events: number }>();
  const kinds: GarbageKind[] = ['not-json', 'wrong-shape', 'impossible-date', 'foreign-seller', 'unknown-account', 'forged-source'];
  const codeOf: Record<GarbageKind, string | undefined> = {
    'not-json': 'MESSAGING.NOT_JSON',
    'wrong-shape': 'MESSAGING.INVALID_PAYLOAD',
    'impossible-date': 'MESSAGING.INVALID_PAYLOAD',
    'foreign-seller': 'EXPORTS.FOREIGN_SELLER_ACCOUNT',
    'unknown-account': undefined,
    'forged-source': 'MESSAGING.SOURCE_MISMATCH',
  };
  for (let n = 0; n < garbageCount; n++) {
    const kind = kinds[n % kinds.length]; // every kind, in turn
    // A foreign seller's account must be linked when the record comes: not one linked late.
    const candidates = kind === 'foreign-seller' ? orders.filter((o) => !o.account.linkLate) : orders;
    if (candidates.length === 0) continue;
    const sample = candidates[random.int(0, candidates.length - 1)];
    const record = garbageRecord(kind, n + 1, world, random, sample);
    garbage[kind] = (garbage[kind] ?? 0) + 1;
    const code = codeOf[kind];
    if (code) deadLetters[code] = (deadLetters[code] ?? 0) + 1;
    else {
      const accountId = JSON.parse(record.value).sellerAccountId as string;
      const entry = parked.get(`${record.partner}|${accountId}`) ?? { partner: record.partner, sellerAccountId: accountId, events: 0 };
      entry.events++;
      parked.set(`${record.partner}|${accountId}`, entry);
    }
    stream.splice(random.int(0, stream.length), 0, record);
  }

  const lateAccounts = world.sellers.flatMap((s) => s.accounts.filter((a) => a.linkLate).map((a) => ({ seller: s, account: a })));
  // Each partner speaks as itself on a secured broker; else one producer sends for all.
  const producers = new Map<Marketplace, Producer>();
  const shared = target.kafkaSecurity ? undefined : await connectedProducer(kafkaOf(target, `niryat-simulator-${tag}`));
  for (const partner of MARKETPLACES) {
    producers.set(partner, shared ?? (await connectedProducer(kafkaOf(target, `niryat-simulator-${tag}-${partner}`, `partner-${partner}`))));
  }
  const counts = { kafka: 0, http: 0 };
  await options.onStreaming?.();
  try {
    await send(stream, {
      target,
      producerOf: (partner) => producers.get(partner) as Producer,
      keys,
      rate: options.rate,
      log,
      counts,
      halfway: async () => {
        for (const { seller, account } of lateAccounts) {
          // Linked by an earlier attempt whose answer was lost (a service killed after its commit): 409, and done.
          await persistently({ log } as SendContext, 'onboarding', () =>
            linkAccount(target, sellerIds.get(seller.index) as string, account.marketplace, account.accountId).catch((error: unknown) => {
              if (!(error instanceof HttpError && error.status === 409)) throw error;
            }),
          );
        }
        if (lateAccounts.length > 0) log(`linked ${lateAccounts.length} account(s) late: their parked events are released now`);
      },
    });
  } finally {
    await Promise.all([...new Set(producers.values())].map((producer) => producer.disconnect()));
  }

  const cumulative: Record<string, bigint> = {};
  for (const row of truth.rows()) cumulative[row.programme] = (cumulative[row.programme] ?? 0n) + BigInt(row.valueUsdMinor);
  const record: SimulationRecord = {
    tag,
    seed: options.seed,
    startedAt,
    finishedAt: new Date().toISOString(),
    options: {
      seed: options.seed, tag, sellers: options.sellers, orders: options.orders, rate: options.rate, windowDays: options.windowDays,
      duplicates: options.duplicates, reorder: options.reorder, garbage: options.garbage, transport: options.transport, lateLinks: options.lateLinks,
    },
    programmes: world.programmes.map((p) => p.id),
    orderPrefix: `SIM-${tag.toUpperCase()}-`,
    sent: { events: stream.length, duplicates, shuffledOrders, ...counts, garbage },
    expected: {
      rows: truth.rows(),
      cumulativeUsdMinor: Object.fromEntries(world.programmes.map((p) => [p.id, (cumulative[p.id] ?? 0n).toString()])),
      deadLetters,
      parked: [...parked.values()],
      views: viewsTruth(world, truth),
    },
  };
  writeJson(options.recordFile, record);
  log(`sent ${stream.length} records (${counts.kafka} on Kafka, ${counts.http} over HTTP; ${duplicates} duplicates, ${shuffledOrders} orders shuffled, ${garbageCount} garbage); truth: ${record.expected.rows.length} report rows; record ${options.recordFile}`);
  return record;
}

interface SendContext {
  target: PlatformTarget;
  /** The producer that speaks for a partner (on a secured broker, as the partner's own principal). */
  producerOf: (partner: Marketplace) => Producer;
  keys?: Record<Marketplace, PartnerKey>;
  rate: number | 'max';
  log: (line: string) => void;
  counts: { kafka: number; http: number };
  halfway: () => Promise<void>;
}

const HTTP_BATCH = 200;
const KAFKA_BATCH = 500;

/** Sends the stream in order, in batches, paced to the rate (a token bucket), with a progress line every few seconds. */
async function send(stream: readonly Emission[], context: SendContext): Promise<void> {
  const started = Date.now();
  let lastProgress = started;
  let sent = 0;
  let halfwayDone = false;
  const batchSize = context.rate === 'max' ? KAFKA_BATCH : Math.max(1, Math.min(KAFKA_BATCH, Math.round(context.rate / 10)));
  for (let at = 0; at < stream.length; at += batchSize) {
    const batch = stream.slice(at, at + batchSize);
    await sendBatch(batch, context);
    sent += batch.length;
    if (!halfwayDone && sent >= stream.length / 2) {
      halfwayDone = true;
      await context.halfway();
    }
    if (context.rate !== 'max') {
      const due = started + (sent / context.rate) * 1000;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
    if (Date.now() - lastProgress >= 2_000 || sent === stream.length) {
      lastProgress = Date.now();
      const seconds = (Date.now() - started) / 1000;
      const rate = sent / Math.max(seconds, 0.001);
      context.log(`sent ${sent} of ${stream.length} (${Math.round(rate)}/s)${sent < stream.length ? `, about ${Math.ceil((stream.length - sent) / rate)} s left` : ` in ${seconds.toFixed(1)} s`}`);
    }
  }
  if (!halfwayDone) await context.halfway();
}

async function sendBatch(batch: readonly Emission[], context: SendContext): Promise<void> {
  const overKafka = batch.filter((e) => e.via === 'kafka');
  if (overKafka.length > 0) {
    // Each partner writes its own topic, as itself.
    for (const partner of MARKETPLACES) {
      const messages = overKafka.filter((e) => e.partner === partner).map(partnerMessage);
      if (messages.length === 0) continue;
      await persistently(context, 'Kafka', () => context.producerOf(partner).send({ topic: partnerTopicName(context.target, partner), acks: -1, messages }));
    }
    context.counts.kafka += overKafka.length;
  }
  for (const partner of MARKETPLACES) {
    const overHttp = batch.filter((e) => e.via === 'http' && e.partner === partner);
    for (let at = 0; at < overHttp.length; at += HTTP_BATCH) {
      const part = overHttp.slice(at, at + HTTP_BATCH);
      const body = JSON.stringify({ events: part.map((e) => ({ type: e.type, data: JSON.parse(e.value) })) });
      const key = (context.keys as Record<Marketplace, PartnerKey>)[partner];
      await postSigned(context, body, key);
      context.counts.http += part.length;
    }
  }
}

/**
 * Keeps trying what a platform under repair refuses for a while (a broker restarting, a service
 * killed and coming back, the database away): up to ten minutes, saying so every few attempts.
 * Sent again, an event is a duplicate the platform drops: its id is the same.
 */
async function persistently<T>(context: SendContext, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() - started > 600_000 || (error instanceof HttpError && error.status < 500 && error.status !== 429)) throw error;
      const wait = error instanceof HttpError && error.status === 429 ? Number(JSON.parse(error.body || '{}')?.error?.retryAfterSeconds ?? 1) * 1000 : Math.min(5_000, 250 * attempt);
      if (attempt === 1 || attempt % 10 === 0) context.log(`${what} refused (${(error as Error).message.slice(0, 160)}); trying again in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** One signed batch, signed afresh for every attempt (a resent request is not a replay); each event's answer is the service's business. */
async function postSigned(context: SendContext, body: string, key: PartnerKey): Promise<void> {
  await persistently(context, 'the partner ingest', () => call('POST', `${context.target.urls.exports}/v1/partner-events`, undefined, body, signedHeaders(key.keyId, key.secret, body)));
}
