import 'reflect-metadata';
import { runMigrations } from '@niryat/platform';
import { SERVICE } from './app.module';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { ReportingEnv } from './reporting.env';

void runMigrations({ name: SERVICE, envClass: ReportingEnv, migrations: REPORTING_MIGRATIONS });
