import 'reflect-metadata';
import { runMigrations } from '@niryat/platform';
import { SERVICE } from './app.module';
import { TRAINING_MIGRATIONS } from './database/migrations';
import { TrainingEnv } from './training.env';

void runMigrations({ name: SERVICE, envClass: TrainingEnv, migrations: TRAINING_MIGRATIONS });
