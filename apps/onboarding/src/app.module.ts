import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { ONBOARDING_MIGRATIONS } from './database/migrations';
import { EnrolmentsController } from './enrolments/enrolments.controller';
import { EnrolmentsService } from './enrolments/enrolments.service';
import { MarketplaceAccountsController } from './marketplace-accounts/marketplace-accounts.controller';
import { MarketplaceAccountsService } from './marketplace-accounts/marketplace-accounts.service';
import { OnboardingEnv } from './onboarding.env';
import { Programme } from './programmes/programme.entity';
import { ProgrammesController } from './programmes/programmes.controller';
import { ProgrammesService } from './programmes/programmes.service';
import { SellerReviewController } from './review/seller-review.controller';
import { SellerReviewService } from './review/seller-review.service';
import { Seller } from './sellers/seller.entity';
import { SellerChangeReviewService } from './sellers/seller-change-review.service';
import { SellerChangesController } from './sellers/seller-changes.controller';
import { SellerChangesService } from './sellers/seller-changes.service';
import { SellerProfileService } from './sellers/seller-profile.service';
import { SellerQueryService } from './sellers/seller-query.service';
import { SellerRegistrationService } from './sellers/seller-registration.service';
import { SellersController } from './sellers/sellers.controller';

export const SERVICE = 'onboarding';

@Module({})
export class OnboardingModule {
  static forRoot(env: OnboardingEnv): DynamicModule {
    return {
      module: OnboardingModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, entities: [Seller, Programme], migrations: ONBOARDING_MIGRATIONS })],
      controllers: [SellersController, SellerChangesController, SellerReviewController, ProgrammesController, EnrolmentsController, MarketplaceAccountsController],
      providers: [
        SellerRegistrationService,
        SellerQueryService,
        SellerProfileService,
        SellerChangesService,
        SellerChangeReviewService,
        SellerReviewService,
        ProgrammesService,
        EnrolmentsService,
        MarketplaceAccountsService,
      ],
    };
  }
}
