import 'reflect-metadata';
import { runService } from '@niryat/platform';
import { TrainingModule, SERVICE } from './app.module';
import { TrainingEnv } from './training.env';

void runService({ name: SERVICE, envClass: TrainingEnv, appModule: (env) => TrainingModule.forRoot(env) });
