import { TopicSpecs } from '@niryat/contracts';
import { BatchConsumerOptions, combineConsumers, OutboxWriter } from '@niryat/messaging';
import { ExportFactsLedger } from './export-totals/export-facts';
import { exportEventsConsumerOptions } from './export-totals/export-events.consumer';
import { ExportTotalsProjection } from './export-totals/export-totals.projection';
import { funnelConsumerOptions } from './funnel/funnel-events.consumer';
import { FunnelProjection } from './funnel/funnel.projection';
import { progressConsumerOptions } from './progress/progress.consumer';
import { ProgressProjection } from './progress/progress.projection';
import { ApprovedSellersProjection } from './seller-report/approved-sellers.projection';
import { sellerEventsConsumerOptions } from './seller-report/seller-events.consumer';

/**
 * The reporting service's one consumer group: every domain topic it reads, each record decoded
 * once and applied to every view in one transaction.
 */
export const REPORTING_GROUP = 'reporting.views';

/** CloudEvents source of everything reporting publishes. */
export const REPORTING_SOURCE = '/niryat/reporting';

/** Every projection of the reporting service and the consumer that feeds them (the service, the rebuild, tests). */
export class ReportingViews {
  readonly approvedSellers = new ApprovedSellersProjection();
  readonly exportTotals: ExportTotalsProjection;
  readonly funnel: FunnelProjection;
  readonly progress: ProgressProjection;

  private readonly outbox: OutboxWriter;

  constructor(readonly schema: string) {
    const outbox = (this.outbox = new OutboxWriter(schema, REPORTING_SOURCE));
    // Both count exports once per business id, in the consumer's one transaction per batch.
    const ledger = new ExportFactsLedger();
    this.exportTotals = new ExportTotalsProjection(outbox, ledger);
    this.funnel = new FunnelProjection(outbox);
    this.progress = new ProgressProjection(outbox, ledger);
  }

  /**
   * The consumer the service runs: the projections' parts as one group, working on every partition
   * it reads at once (unless told fewer) with the chunks ready together in one transaction, and
   * fetching the next records while a transaction applies (bench:freshness). What the views
   * republish goes to the outbox in one statement per transaction.
   */
  consumer(maxChunkSize?: number, partitionsConcurrently?: number): Omit<BatchConsumerOptions, 'afterDatabaseCommit'> {
    const combined = combineConsumers(REPORTING_GROUP, this.parts(maxChunkSize));
    const partitions = combined.topics.reduce((sum, topic) => sum + (TopicSpecs.find((spec) => spec.name === topic)?.partitions ?? 1), 0);
    return {
      ...combined,
      handler: (events, manager) => this.outbox.batch(manager, () => combined.handler(events, manager)),
      partitionsConcurrently: partitionsConcurrently ?? partitions,
      partitionsInOneTransaction: true,
      fetchWhileApplying: true,
      fetchMinBytes: 64 * 1024,
    };
  }

  /** Each projection's part of the consumer, for this schema. */
  parts(maxChunkSize?: number): Omit<BatchConsumerOptions, 'afterDatabaseCommit'>[] {
    return [
      sellerEventsConsumerOptions(this.approvedSellers, this.schema, maxChunkSize),
      funnelConsumerOptions(this.funnel, this.schema, maxChunkSize),
      exportEventsConsumerOptions(this.exportTotals, this.schema, maxChunkSize),
      progressConsumerOptions(this.progress, this.schema, maxChunkSize),
    ];
  }
}
