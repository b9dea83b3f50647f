import { ServiceEnv } from '@niryat/platform';

export class TrainingEnv extends ServiceEnv {
  override PORT = 3003;
}
