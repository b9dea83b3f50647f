import { ServiceEnv } from '@niryat/platform';

export class ExportsEnv extends ServiceEnv {
  override PORT = 3002;
}
