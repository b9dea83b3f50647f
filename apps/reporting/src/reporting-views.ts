import { ProgrammeDefined, ProgrammeSnapshotV1, ProgrammeUpdated, Topics, TopicSpecs } from '@niryat/contracts';
import { BatchConsumerOptions, combineConsumers, InboundEvent, OutboxWriter } from '@niryat/messaging';
import { EntityManager } from 'typeorm';
import { ExportAttribution } from './attribution/export-attribution';
import { ProgrammeCatalogue } from './attribution/programme-catalogue';
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

/** The catalogue's part of the reporting consumer (its own group id only when run alone). */
export const CATALOGUE_PART = 'reporting.catalogue';

/** CloudEvents source of everything reporting publishes. */
export const REPORTING_SOURCE = '/niryat/reporting';

/** Every projection of the reporting service and the consumer that feeds them (the service, the rebuild, tests). */
export class ReportingViews {
  readonly catalogue = new ProgrammeCatalogue();
  readonly attribution = new ExportAttribution(this.catalogue);
  readonly approvedSellers = new ApprovedSellersProjection();
  readonly exportTotals: ExportTotalsProjection;
  readonly funnel: FunnelProjection;
  readonly progress: ProgressProjection;

  private readonly outbox: OutboxWriter;

  constructor(readonly schema: string) {
    // The views republish what they hold: a row that cannot be published is set aside, never a
    // reason to undo the views' effect (and dead-letter the event behind it) for good.
    const outbox = (this.outbox = new OutboxWriter(schema, REPORTING_SOURCE, { invalidPayloads: 'set-aside' }));
    // Both count exports once per business id, in the consumer's one transaction per batch.
    const ledger = new ExportFactsLedger();
    this.exportTotals = new ExportTotalsProjection(outbox, this.attribution, ledger);
    this.funnel = new FunnelProjection(outbox, this.attribution);
    this.progress = new ProgressProjection(outbox, this.attribution, ledger);
  }

  /**
   * The catalogue's part of the consumer, first in every transaction so the exports beside a
   * snapshot are attributed under it: applies the snapshots, then counts the exports set aside for
   * a programme it did not know in that programme.
   */
  catalogueConsumer(maxChunkSize?: number): Omit<BatchConsumerOptions, 'afterDatabaseCommit'> {
    return {
      groupId: CATALOGUE_PART,
      topics: [Topics.onboardingProgramme],
      handles: [ProgrammeDefined, ProgrammeUpdated],
      schema: this.schema,
      maxChunkSize,
      handler: (events, manager) => this.applyCatalogue(events, manager),
    };
  }

  async applyCatalogue(events: readonly InboundEvent[], manager: EntityManager): Promise<void> {
    const changed = await this.catalogue.apply(manager, events.map((e) => e.payload as ProgrammeSnapshotV1));
    const released = await this.attribution.release(manager, changed);
    if (released.length === 0) return;
    await this.exportTotals.applyAttributed(manager, released);
    await this.progress.applyAttributed(manager, released);
    await this.funnel.applyAttributed(manager, released);
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
      this.catalogueConsumer(maxChunkSize),
      sellerEventsConsumerOptions(this.approvedSellers, this.schema, maxChunkSize),
      funnelConsumerOptions(this.funnel, this.schema, maxChunkSize),
      exportEventsConsumerOptions(this.exportTotals, this.schema, maxChunkSize),
      progressConsumerOptions(this.progress, this.schema, maxChunkSize),
    ];
  }
}
