import 'reflect-metadata';
import { runMigrations } from '@niryat/platform';
import { SERVICE } from './app.module';
import { ONBOARDING_MIGRATIONS } from './database/migrations';
import { OnboardingEnv } from './onboarding.env';

void runMigrations({ name: SERVICE, envClass: OnboardingEnv, migrations: ONBOARDING_MIGRATIONS });
