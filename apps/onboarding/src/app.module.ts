import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { ONBOARDING_MIGRATIONS } from './database/migrations';
import { OnboardingEnv } from './onboarding.env';
import { Seller } from './sellers/seller.entity';
import { SellersController } from './sellers/sellers.controller';
import { SellersService } from './sellers/sellers.service';

export const SERVICE = 'onboarding';

@Module({})
export class OnboardingModule {
  static forRoot(env: OnboardingEnv): DynamicModule {
    return {
      module: OnboardingModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, entities: [Seller], migrations: ONBOARDING_MIGRATIONS })],
      controllers: [SellersController],
      providers: [SellersService],
    };
  }
}
