import 'reflect-metadata';
import { runService } from '@niryat/platform';
import { ExportsModule, SERVICE } from './app.module';
import { ExportsEnv } from './exports.env';

void runService({ name: SERVICE, envClass: ExportsEnv, appModule: (env) => ExportsModule.forRoot(env) });
