import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { DashboardController } from './dashboard/dashboard.controller';
import { ExportEventsConsumer } from './export-totals/export-events.consumer';
import { ExportTotalsController } from './export-totals/export-totals.controller';
import { ExportTotalsProjection } from './export-totals/export-totals.projection';
import { FunnelEventsConsumer } from './funnel/funnel-events.consumer';
import { FunnelController } from './funnel/funnel.controller';
import { FunnelProjection } from './funnel/funnel.projection';
import { TrainingImpactController } from './impact/training-impact.controller';
import { ProgressConsumer } from './progress/progress.consumer';
import { ProgressController } from './progress/progress.controller';
import { ProgressProjection } from './progress/progress.projection';
import { ReportingEnv } from './reporting.env';
import { ApprovedSellersProjection } from './seller-report/approved-sellers.projection';
import { SellerEventsConsumer } from './seller-report/seller-events.consumer';
import { SellerReportController } from './seller-report/seller-report.controller';

export const SERVICE = 'reporting';

@Module({})
export class ReportingModule {
  static forRoot(env: ReportingEnv): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, migrations: REPORTING_MIGRATIONS })],
      controllers: [SellerReportController, ExportTotalsController, FunnelController, ProgressController, TrainingImpactController, DashboardController],
      providers: [ApprovedSellersProjection, SellerEventsConsumer, ExportTotalsProjection, ExportEventsConsumer, FunnelProjection, FunnelEventsConsumer, ProgressProjection, ProgressConsumer],
    };
  }
}
