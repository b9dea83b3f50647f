/*
 * Each service's own env class, for the deployment test (deploy-env.spec.ts): what docker-compose.yml
 * and the k8s overlays hand a service must pass the very validation the service runs at boot. These
 * are the only imports of app code outside apps/, and they import the env classes only (no module,
 * no side effects); the boundary rules exist to keep apps from importing each other.
 */
/* eslint-disable no-restricted-imports, @nx/enforce-module-boundaries */
import { ExportsEnv } from '../../apps/exports/src/exports.env';
import { OnboardingEnv } from '../../apps/onboarding/src/onboarding.env';
import { ReportingEnv } from '../../apps/reporting/src/reporting.env';
import { TrainingEnv } from '../../apps/training/src/training.env';
/* eslint-enable no-restricted-imports, @nx/enforce-module-boundaries */
import type { ServiceEnv } from '@niryat/platform';
import type { AppName } from './manifests';

export const ENV_CLASSES: Record<AppName, new () => ServiceEnv> = {
  onboarding: OnboardingEnv,
  exports: ExportsEnv,
  training: TrainingEnv,
  reporting: ReportingEnv,
};
