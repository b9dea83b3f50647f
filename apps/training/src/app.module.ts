import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { TRAINING_MIGRATIONS } from './database/migrations';
import { TrainingEnv } from './training.env';

export const SERVICE = 'training';

@Module({})
export class TrainingModule {
  static forRoot(env: TrainingEnv): DynamicModule {
    return {
      module: TrainingModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, migrations: TRAINING_MIGRATIONS })],
    };
  }
}
