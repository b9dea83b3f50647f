import { ServiceEnv } from '@niryat/platform';

export class OnboardingEnv extends ServiceEnv {
  override PORT = 3001;
}
