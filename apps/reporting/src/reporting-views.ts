import { BatchConsumerOptions, OutboxWriter } from '@niryat/messaging';
import { exportEventsConsumerOptions } from './export-totals/export-events.consumer';
import { ExportTotalsProjection } from './export-totals/export-totals.projection';
import { funnelConsumerOptions } from './funnel/funnel-events.consumer';
import { FunnelProjection } from './funnel/funnel.projection';
import { progressConsumerOptions } from './progress/progress.consumer';
import { ProgressProjection } from './progress/progress.projection';
import { ApprovedSellersProjection } from './seller-report/approved-sellers.projection';
import { sellerEventsConsumerOptions } from './seller-report/seller-events.consumer';

/** CloudEvents source of everything reporting publishes. */
export const REPORTING_SOURCE = '/niryat/reporting';

/** Every projection of the reporting service, built outside Nest (rebuild, tests). */
export class ReportingViews {
  readonly approvedSellers = new ApprovedSellersProjection();
  readonly exportTotals: ExportTotalsProjection;
  readonly funnel: FunnelProjection;
  readonly progress: ProgressProjection;

  constructor(readonly schema: string) {
    const outbox = new OutboxWriter(schema, REPORTING_SOURCE);
    this.exportTotals = new ExportTotalsProjection(outbox);
    this.funnel = new FunnelProjection(outbox);
    this.progress = new ProgressProjection(outbox);
  }

  /** The options of each consumer the service runs, for this schema. */
  consumers(maxChunkSize?: number): Omit<BatchConsumerOptions, 'afterDatabaseCommit'>[] {
    return [
      sellerEventsConsumerOptions(this.approvedSellers, this.schema, maxChunkSize),
      exportEventsConsumerOptions(this.exportTotals, this.schema, maxChunkSize),
      funnelConsumerOptions(this.funnel, this.schema, maxChunkSize),
      progressConsumerOptions(this.progress, this.schema, maxChunkSize),
    ];
  }
}
