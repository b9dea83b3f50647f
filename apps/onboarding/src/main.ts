import 'reflect-metadata';
import { runService } from '@niryat/platform';
import { OnboardingModule, SERVICE } from './app.module';
import { OnboardingEnv } from './onboarding.env';

void runService({ name: SERVICE, envClass: OnboardingEnv, appModule: (env) => OnboardingModule.forRoot(env) });
