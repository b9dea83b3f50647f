import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { DashboardController } from './dashboard/dashboard.controller';
import { ExportTotalsController } from './export-totals/export-totals.controller';
import { FunnelController } from './funnel/funnel.controller';
import { TrainingImpactController } from './impact/training-impact.controller';
import { ProgressController } from './progress/progress.controller';
import { REPORTING_VIEW_PROVIDERS } from './reporting.consumer';
import { ReportingEnv } from './reporting.env';
import { SellerReportController } from './seller-report/seller-report.controller';

export const SERVICE = 'reporting';

@Module({})
export class ReportingModule {
  static forRoot(env: ReportingEnv): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, migrations: REPORTING_MIGRATIONS })],
      controllers: [SellerReportController, ExportTotalsController, FunnelController, ProgressController, TrainingImpactController, DashboardController],
      providers: REPORTING_VIEW_PROVIDERS,
    };
  }
}
