import 'reflect-metadata';
import { runMigrations } from '@niryat/platform';
import { SERVICE } from './app.module';
import { EXPORTS_MIGRATIONS } from './database/migrations';
import { ExportsEnv } from './exports.env';

void runMigrations({ name: SERVICE, envClass: ExportsEnv, migrations: EXPORTS_MIGRATIONS });
