import { partnerOfOrderKey } from '@niryat/contracts';
import { emissionsOf, kafkaOf, partnerMessage, partnerTopicName, PlannedOrder, planOrders } from '@niryat/simulator';
import { PacedSchedule, PacingStats, SteadyProducer } from '@niryat/testing';
import { performance } from 'node:perf_hooks';
import { BenchContext, hostBusy, Prepared, samplerOf } from './pipeline';
import { ServiceUsage } from './process-sampler';

/** A shipped event whose export is timed from its send to the report totals counting it. */
interface Probe {
  partner: string;
  orderId: string;
  measured: boolean;
  sentAt?: number;
  visibleAt?: number;
}

/**
 * Where a probe's time went, p50 ms of each stage, from the transaction start times the platform
 * keeps: sent → exports' transaction began (its outbox row's created_at) → ExportRecorded published
 * (published_at, after the broker's ack) → reporting's transaction began (the fact's applied_at) →
 * seen in the totals.
 */
export interface Stages {
  toExports: number;
  exportsToPublished: number;
  publishedToReporting: number;
  reportingToSeen: number;
}

export interface FreshnessResult {
  rate: number;
  ok: boolean;
  achievedPerSecond?: number;
  probes: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  overOneSecond?: number;
  /** Seconds after the last send until every probe was counted. */
  catchUpSeconds?: number;
  check: string;
  usage: Record<string, ServiceUsage>;
  hostBusy?: number;
  pacing?: Pick<PacingStats, 'largestSend' | 'maxBehindMs'>;
  stages?: Stages;
}

const PROBE_EVERY_MS = 50;
const POLL_MS = 10;
/** Events per order on average (placed, shipped, cleared, delivered, returns): to size a rate's orders. */
const EVENTS_PER_ORDER = 3.8;
const IN_FLIGHT = 64;

/**
 * New orders of the world (order ids after every earlier run's), their events interleaved across
 * 64 orders in flight as a partner's traffic is, each in sequence order: due at i / rate seconds.
 * Every 50 ms of schedule, the next shipped event is a probe.
 */
function schedule(prepared: Prepared, rate: number, warmupSeconds: number, seconds: number, firstIndex: number, seed: number): { schedule: PacedSchedule<Probe>; orders: PlannedOrder[] } {
  const count = Math.ceil((rate * (warmupSeconds + seconds)) / EVENTS_PER_ORDER);
  const orders = planOrders(prepared.world, count, seed, firstIndex);
  const queues = orders.map((o) => emissionsOf(o, 'kafka'));
  const slots: PacedSchedule<Probe>['slots'] = [];
  const inFlight: (typeof queues)[number][] = [];
  let next = 0;
  let turn = 0;
  while (next < queues.length || inFlight.length > 0) {
    while (inFlight.length < IN_FLIGHT && next < queues.length) inFlight.push([...queues[next++]]);
    const at = turn++ % inFlight.length;
    const emission = inFlight[at].shift() as (typeof queues)[number][number];
    if (inFlight[at].length === 0) inFlight.splice(at, 1);
    slots.push({ record: partnerMessage(emission) });
  }
  const warmupEvents = Math.round(rate * warmupSeconds);
  const spacing = Math.max(1, Math.round((rate * PROBE_EVERY_MS) / 1000));
  let lastProbe = -spacing;
  slots.forEach((slot, i) => {
    if (i - lastProbe < spacing || !String(slot.record.headers?.ce_type).includes('.shipped.')) return;
    lastProbe = i;
    const [partner, orderId] = String(slot.record.key).split(':');
    slot.probe = { partner, orderId, measured: i >= warmupEvents };
  });
  return { schedule: { rate, slots, warmupEvents }, orders };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (values: number[]) => Math.round(percentile([...values].sort((a, b) => a - b), 50));

/** The probes' stages, their database times (epoch ms, this machine's clock) moved onto performance.now()'s. */
async function stagesOf(context: BenchContext, prepared: Prepared, probes: Probe[]): Promise<Stages | undefined> {
  const seen = probes.filter((p) => p.measured && p.sentAt !== undefined && p.visibleAt !== undefined);
  if (seen.length === 0) return undefined;
  const { stack } = prepared;
  const { rows } = await context.db.query<{ order_id: string; created: number; published: number; applied: number }>(
    `SELECT e.order_id, extract(epoch FROM o.created_at) * 1000 AS created, extract(epoch FROM o.published_at) * 1000 AS published, extract(epoch FROM f.applied_at) * 1000 AS applied
       FROM unnest($1::text[], $2::text[]) AS k(partner, order_id)
       JOIN "${stack.schemaOf('exports')}".exports e ON e.partner = k.partner AND e.order_id = k.order_id
       JOIN "${stack.schemaOf('exports')}".outbox o ON o.event_type = 'niryat.exports.export.recorded.v1' AND o.payload->>'exportId' = e.export_id::text
        JOIN "${stack.schemaOf('reporting')}".export_facts_applied f ON f.kind = 'recorded' AND f.fact_id = e.export_id`,
    [seen.map((p) => p.partner), seen.map((p) => p.orderId)],
  );
  const shift = Date.now() - performance.now();
  const at = new Map(rows.map((r) => [r.order_id, { created: Number(r.created) - shift, published: Number(r.published) - shift, applied: Number(r.applied) - shift }]));
  const timed = seen.flatMap((p) => (at.has(p.orderId) ? [{ p, t: at.get(p.orderId) as { created: number; published: number; applied: number } }] : []));
  if (timed.length === 0) return undefined;
  return {
    toExports: median(timed.map(({ p, t }) => t.created - (p.sentAt as number))),
    exportsToPublished: median(timed.map(({ t }) => t.published - t.created)),
    publishedToReporting: median(timed.map(({ t }) => t.applied - t.published)),
    reportingToSeen: median(timed.map(({ p, t }) => (p.visibleAt as number) - t.applied)),
  };
}

/**
 * One offered rate on the pipeline's platform: partner events paced onto the partner topic, and for
 * each probe the time from the send that carried it to the first poll (every 10 ms) that finds its
 * export counted by reporting (its fact in `export_facts_applied`, written in the transaction that
 * adds it to the totals). Returns the orders sent, for the truth check after every rate.
 */
export async function runFreshness(context: BenchContext, prepared: Prepared, rate: number, options: { warmupSeconds: number; seconds: number; firstIndex: number; seed: number }): Promise<{ result: FreshnessResult; orders: PlannedOrder[] }> {
  const { stack } = prepared;
  const { schedule: plan, orders } = schedule(prepared, rate, options.warmupSeconds, options.seconds, options.firstIndex, options.seed);
  const probes = plan.slots.flatMap((s) => (s.probe ? [s.probe] : []));
  const outstanding = new Map<string, Probe>();
  const producer = kafkaOf(stack.target, `niryat-bench-freshness-${rate}`).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const pacer = new SteadyProducer(producer, (record) => partnerTopicName(stack.target, partnerOfOrderKey(String(record.key))), plan, (probe) => outstanding.set(probe.orderId, probe));
  const sampler = samplerOf(context, () => ({ exports: stack.pidsOf('exports'), reporting: stack.pidsOf('reporting') }));
  const host = hostBusy();
  // By (partner, order id), the exports table's unique key, and the fact's primary key: a poll every 10 ms must cost the database next to nothing.
  const query = `SELECT e.order_id FROM unnest($1::text[], $2::text[]) AS k(partner, order_id)
                   JOIN "${stack.schemaOf('exports')}".exports e ON e.partner = k.partner AND e.order_id = k.order_id
                   JOIN "${stack.schemaOf('reporting')}".export_facts_applied f ON f.kind = 'recorded' AND f.fact_id = e.export_id`;
  let sending = true;
  let lastSentAt = 0;
  const watching = (async () => {
    const deadline = () => !sending && performance.now() - lastSentAt > context.timeoutSeconds * 1000;
    while (sending || outstanding.size > 0) {
      const at = performance.now();
      if (outstanding.size > 0) {
        const waiting = [...outstanding.values()];
        const { rows } = await context.db.query<{ order_id: string }>(query, [waiting.map((p) => p.partner), waiting.map((p) => p.orderId)]);
        for (const { order_id } of rows) {
          const probe = outstanding.get(order_id);
          if (probe) probe.visibleAt = at;
          outstanding.delete(order_id);
        }
      }
      if (deadline()) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (performance.now() - at))));
    }
  })();
  let pacing: PacingStats;
  try {
    pacing = await pacer.run(() => {
      sampler.start();
      host.start();
    });
  } finally {
    sending = false;
    lastSentAt = performance.now();
    await producer.disconnect();
  }
  const usage = sampler.stop();
  const busy = host.stop();
  await watching;
  const catchUpSeconds = Math.round((Math.max(...probes.map((p) => p.visibleAt ?? 0)) - lastSentAt) / 100) / 10;
  const measured = probes.filter((p) => p.measured);
  const unseen = probes.filter((p) => p.visibleAt === undefined);
  const latencies = measured.flatMap((p) => (p.visibleAt !== undefined && p.sentAt !== undefined ? [p.visibleAt - p.sentAt] : [])).sort((a, b) => a - b);
  const ok = unseen.length === 0 && pacing.failures.length === 0 && latencies.length > 0;
  const stages = ok ? await stagesOf(context, prepared, probes) : undefined;
  return {
    orders,
    result: {
      rate,
      ok,
      achievedPerSecond: pacing.achievedPerSecond,
      probes: measured.length,
      p50: Math.round(percentile(latencies, 50)),
      p95: Math.round(percentile(latencies, 95)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(latencies[latencies.length - 1]),
      overOneSecond: latencies.filter((l) => l > 1_000).length,
      catchUpSeconds: Math.max(0, catchUpSeconds),
      check: ok
        ? `ok: ${probes.length} probes counted, ${plan.slots.length} events sent`
        : `FAILED: ${unseen.length} of ${probes.length} probes never counted${pacing.failures.length ? `; ${pacing.failures[0]}` : ''}`,
      usage,
      hostBusy: busy,
      pacing: { largestSend: pacing.largestSend, maxBehindMs: pacing.maxBehindMs },
      stages,
    },
  };
}
