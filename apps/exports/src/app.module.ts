import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@niryat/platform';
import { EXPORTS_MIGRATIONS } from './database/migrations';
import { OnboardingEventsConsumer } from './directory/onboarding-events.consumer';
import { SellerDirectoryProjection } from './directory/seller-directory.projection';
import { ExportsEnv } from './exports.env';
import { FxRatesController } from './fx/fx-rates.controller';
import { PartnerEventsController } from './ingest/partner-events.controller';
import { PartnerIngestService } from './ingest/partner-ingest.service';
import { OrderIntake } from './orders/order-intake';
import { OrderProcessor } from './orders/order-processor';
import { OrdersController } from './orders/orders.controller';
import { PartnerOrdersConsumer } from './orders/partner-orders.consumer';
import { ParkedEventExpiry } from './parking/parked-event-expiry';
import { ParkedEventsController } from './parking/parked-events.controller';
import { ParkedEventsMetrics } from './parking/parked-events.metrics';
import { PartnerAuthModule, partnerAuthOptions } from './partner-auth';

export const SERVICE = 'exports';

@Module({})
export class ExportsModule {
  static forRoot(env: ExportsEnv): DynamicModule {
    return {
      module: ExportsModule,
      imports: [PlatformModule.forRoot({ name: SERVICE, env, migrations: EXPORTS_MIGRATIONS, http: { jsonBodyLimitBytes: env.PARTNER_BODY_LIMIT_BYTES } }), PartnerAuthModule.forRoot(partnerAuthOptions(env))],
      controllers: [PartnerEventsController, FxRatesController, ParkedEventsController, OrdersController],
      providers: [OrderProcessor, OrderIntake, SellerDirectoryProjection, OnboardingEventsConsumer, PartnerOrdersConsumer, PartnerIngestService, ParkedEventExpiry, ParkedEventsMetrics],
    };
  }
}
