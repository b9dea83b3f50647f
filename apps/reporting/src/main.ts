import 'reflect-metadata';
import { runService } from '@niryat/platform';
import { ReportingModule, SERVICE } from './app.module';
import { ReportingEnv } from './reporting.env';

void runService({ name: SERVICE, envClass: ReportingEnv, appModule: (env) => ReportingModule.forRoot(env) });
