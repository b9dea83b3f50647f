import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';
import { ONBOARDING_EVENTS_GROUP } from '../orders/consumer-groups';
import { DIRECTORY_EVENTS, SellerDirectoryProjection } from './seller-directory.projection';


@Injectable()
export class OnboardingEventsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: SellerDirectoryProjection, @Inject(SERVICE_ENV) env: ExportsEnv) {
    super(dataSource, kafka, {
      groupId: ONBOARDING_EVENTS_GROUP,
      topics: [Topics.onboardingSeller],
      handles: DIRECTORY_EVENTS,
      schema: schemaOfService('exports', env),
      handler: (events, manager) => projection.apply(events, manager),
    });
  }
}
