import { Inject, Injectable, Provider } from '@nestjs/common';
import { KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportAttribution } from './attribution/export-attribution';
import { ExportTotalsProjection } from './export-totals/export-totals.projection';
import { FunnelProjection } from './funnel/funnel.projection';
import { ProgressProjection } from './progress/progress.projection';
import { ReportingEnv } from './reporting.env';
import { ReportingViews } from './reporting-views';
import { ApprovedSellersProjection } from './seller-report/approved-sellers.projection';

/** Feeds every reporting view from the domain topics; thin: the projections do the work. */
@Injectable()
export class ReportingConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, views: ReportingViews, @Inject(SERVICE_ENV) env: ReportingEnv) {
    super(dataSource, kafka, views.consumer(env.CONSUMER_CHUNK_SIZE, env.CONSUMER_PARTITIONS_CONCURRENTLY));
  }
}

/** One instance of each projection: the consumer writes through them, the controllers read through them. */
export const REPORTING_VIEW_PROVIDERS: Provider[] = [
  { provide: ReportingViews, useFactory: (env: ReportingEnv) => new ReportingViews(schemaOfService('reporting', env)), inject: [SERVICE_ENV] },
  { provide: ApprovedSellersProjection, useFactory: (views: ReportingViews) => views.approvedSellers, inject: [ReportingViews] },
  { provide: ExportTotalsProjection, useFactory: (views: ReportingViews) => views.exportTotals, inject: [ReportingViews] },
  { provide: FunnelProjection, useFactory: (views: ReportingViews) => views.funnel, inject: [ReportingViews] },
  { provide: ProgressProjection, useFactory: (views: ReportingViews) => views.progress, inject: [ReportingViews] },
  { provide: ExportAttribution, useFactory: (views: ReportingViews) => views.attribution, inject: [ReportingViews] },
  ReportingConsumer,
];
