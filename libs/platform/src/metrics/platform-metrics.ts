import { Logger } from '@nestjs/common';
import type { BatchConsumer, MessagingMetrics } from '@niryat/messaging';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How long one scrape-time source (a database query, a Kafka request) may take before the scrape goes on without it. */
export const SCRAPE_SOURCE_TIMEOUT_MS = 2_000;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One Prometheus registry per app (never prom-client's global one, so several apps in one process
 * keep their own figures), with every metric the platform keeps: HTTP, consumers, dead letters,
 * outbox and Node's own. Figures that need a query (a backlog, a lag) come from sources registered
 * with `onScrape`, asked at scrape time; one that fails or is slow leaves its figures as they were
 * and says so in `niryat_metrics_source_up`, and the scrape still answers.
 */
export class PlatformMetrics implements MessagingMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger(PlatformMetrics.name);
  private readonly sources = new Map<string, () => Promise<void>>();
  private readonly failing = new Set<string>();

  readonly httpRequests: Counter<'method' | 'route' | 'status_class'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  private readonly eventsApplied: Counter<'group' | 'topic'>;
  private readonly duplicatesSkipped: Counter<'group' | 'topic'>;
  private readonly batchSize: Histogram<'group'>;
  private readonly applyDuration: Histogram<'group'>;
  private readonly deadLetters: Counter<'group' | 'code'>;
  private readonly outboxPublishedRows: Counter<'topic'>;
  private readonly relayLatency: Histogram;
  private readonly relayFailures: Counter;
  private readonly sourceUp: Gauge<'source'>;
  private readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly consumerMember: Gauge<'group'>;
  private readonly assignedPartitions: Gauge<'group'>;
  private readonly positionProblems: Gauge<'group'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'niryat_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status class (probes and /metrics not counted)',
      labelNames: ['method', 'route', 'status_class'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'niryat_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: SECONDS,
      registers,
    });
    this.eventsApplied = new Counter({ name: 'niryat_consumer_events_applied_total', help: 'Events a consumer group applied (new to its inbox), by topic', labelNames: ['group', 'topic'], registers });
    this.duplicatesSkipped = new Counter({
      name: 'niryat_consumer_duplicates_skipped_total',
      help: 'Events a consumer group received again and skipped: already in its inbox or below its stored offset',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'niryat_consumer_batch_size',
      help: 'Events per consumer transaction',
      labelNames: ['group'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    });
    this.applyDuration = new Histogram({
      name: 'niryat_consumer_apply_duration_seconds',
      help: 'Duration of a consumer transaction: inbox, handler, stored offsets, commit',
      labelNames: ['group'],
      buckets: [...SECONDS, 30],
      registers,
    });
    this.deadLetters = new Counter({ name: 'niryat_dead_letters_total', help: 'Records dead-lettered (published or set aside), by consumer group and reason code', labelNames: ['group', 'code'], registers });
    this.outboxPublishedRows = new Counter({ name: 'niryat_outbox_published_total', help: 'Outbox rows the relay published, by topic', labelNames: ['topic'], registers });
    this.relayLatency = new Histogram({
      name: 'niryat_outbox_relay_latency_seconds',
      help: 'Time from an outbox row being written to the broker acknowledging it',
      buckets: [...SECONDS, 30, 60, 300],
      registers,
    });
    this.relayFailures = new Counter({ name: 'niryat_outbox_relay_failures_total', help: 'Relay passes that failed (Kafka or the database away); their rows stay pending', registers });
    this.consumerLag = new Gauge({
      name: 'niryat_consumer_lag',
      help: 'Records on an assigned partition not applied yet: the log end minus the stored offset (read at scrape time)',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.consumerMember = new Gauge({ name: 'niryat_consumer_member', help: '1 while the consumer is a member of its Kafka group, 0 while it joins, rejoins or is stopped', labelNames: ['group'], registers });
    this.assignedPartitions = new Gauge({ name: 'niryat_consumer_assigned_partitions', help: 'Partitions assigned to this member of the group', labelNames: ['group'], registers });
    this.positionProblems = new Gauge({
      name: 'niryat_consumer_position_problems',
      help: 'Partitions not applied because their stored position does not fit the log (npm run consumers -- positions)',
      labelNames: ['group'],
      registers,
    });
    this.sourceUp = new Gauge({
      name: 'niryat_metrics_source_up',
      help: 'Whether a scrape-time source answered at the last scrape (0: its figures are from an earlier scrape)',
      labelNames: ['source'],
      registers,
    });
  }

  /**
   * A source of figures read at scrape time (`refresh` sets its gauges), under `name` in
   * `niryat_metrics_source_up`. Registering a name again replaces its source.
   */
  onScrape(name: string, refresh: () => Promise<void>): void {
    this.sources.set(name, refresh);
  }

  /** Refreshes every scrape-time source (each within SCRAPE_SOURCE_TIMEOUT_MS), then renders the registry. */
  async scrape(): Promise<string> {
    await Promise.all([...this.sources].map(([name, refresh]) => this.refresh(name, refresh)));
    return this.registry.metrics();
  }

  private async refresh(name: string, refresh: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        refresh(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${SCRAPE_SOURCE_TIMEOUT_MS} ms`)), SCRAPE_SOURCE_TIMEOUT_MS);
        }),
      ]);
      this.sourceUp.set({ source: name }, 1);
      if (this.failing.delete(name)) this.logger.log(`metrics source ${name} answers again`);
    } catch (error) {
      this.sourceUp.set({ source: name }, 0);
      // Once per outage: a scrape every few seconds must not flood the log.
      if (!this.failing.has(name)) this.logger.warn(`metrics source ${name} failed, its figures stay as they were: ${(error as Error).message}`);
      this.failing.add(name);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The consumer's figures read at each scrape: membership, partitions and position alarms from
   * the consumer itself, lag per assigned partition from the database and Kafka. A partition that
   * went to another member at a rebalance leaves this member's figures.
   */
  watchConsumer(consumer: Pick<BatchConsumer, 'membership' | 'partitionLags' | 'positionProblems'>): void {
    const { group } = consumer.membership();
    let reported = new Map<string, { group: string; topic: string; partition: string }>();
    this.onScrape(`consumer:${group}`, async () => {
      const membership = consumer.membership();
      this.consumerMember.set({ group }, membership.state === 'member' ? 1 : 0);
      this.assignedPartitions.set({ group }, Object.values(membership.assignment).reduce((n, p) => n + p.length, 0));
      this.positionProblems.set({ group }, consumer.positionProblems().length);
      const now = new Map((await consumer.partitionLags()).map(({ topic, partition, lag }) => [`${topic}\u0000${partition}`, { labels: { group, topic, partition: String(partition) }, lag }]));
      for (const [key, labels] of reported) if (!now.has(key)) this.consumerLag.remove(labels);
      for (const { labels, lag } of now.values()) this.consumerLag.set(labels, lag);
      reported = new Map([...now].map(([key, { labels }]) => [key, labels]));
    });
  }

  /** A gauge of this registry, for a scrape-time source. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  consumerTransaction(group: string, { events, applied, skipped, seconds }: Parameters<MessagingMetrics['consumerTransaction']>[1]): void {
    this.batchSize.observe({ group }, events);
    this.applyDuration.observe({ group }, seconds);
    for (const [topic, count] of applied) this.eventsApplied.inc({ group, topic }, count);
    for (const [topic, count] of skipped) this.duplicatesSkipped.inc({ group, topic }, count);
  }

  deadLettered(group: string, code: string, count: number): void {
    this.deadLetters.inc({ group, code }, count);
  }

  outboxPublished(rows: readonly { topic: string; waitedSeconds: number }[]): void {
    for (const { topic, waitedSeconds } of rows) {
      this.outboxPublishedRows.inc({ topic });
      this.relayLatency.observe(waitedSeconds);
    }
  }

  outboxPassFailed(): void {
    this.relayFailures.inc();
  }
}
