import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NAIVE_REPORTING_ENTITIES } from './entities';
import { naiveExportEventsController } from './naive-export-events.controller';
import { NaiveExportTotalsService } from './naive-export-totals.service';

export interface NaiveReportingOptions {
  databaseUrl: string;
  /** A schema made by reporting's real migrations (the real service's own, in the naive chain). */
  schema: string;
  /** The full (namespaced) exports topic: Nest's Kafka transport subscribes to the pattern as is. */
  topic: string;
}

/** The naive reporting as a Nest module: TypeORM on reporting's tables, one controller, one service. */
@Module({})
export class NaiveReportingModule {
  static forRoot(options: NaiveReportingOptions): DynamicModule {
    return {
      module: NaiveReportingModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.databaseUrl,
          schema: options.schema,
          entities: NAIVE_REPORTING_ENTITIES,
          // The tables come from reporting's real migrations, run before this starts.
          synchronize: false,
          logging: ['error'],
          poolSize: 10,
          applicationName: 'niryat-bench-naive-reporting',
        }),
      ],
      controllers: [naiveExportEventsController(options.topic)],
      providers: [NaiveExportTotalsService],
    };
  }
}
