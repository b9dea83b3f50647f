import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { EXPORTS_MIGRATIONS } from './database/migrations';
import { ExportsEnv } from './exports.env';

export const SERVICE = 'exports';

@Module({})
export class ExportsModule {
  static forRoot(env: ExportsEnv): DynamicModule {
    return {
      module: ExportsModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, migrations: EXPORTS_MIGRATIONS })],
    };
  }
}
