import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { TrainingEnv } from '../training.env';
import { ONBOARDING_EVENTS, OnboardingDirectoryProjection } from './onboarding-directory.projection';

export const ONBOARDING_EVENTS_GROUP = 'training.onboarding-events';

@Injectable()
export class OnboardingEventsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: OnboardingDirectoryProjection, @Inject(SERVICE_ENV) env: TrainingEnv) {
    super(dataSource, kafka, {
      groupId: ONBOARDING_EVENTS_GROUP,
      topics: [Topics.onboardingSeller, Topics.onboardingProgramme],
      handles: ONBOARDING_EVENTS,
      schema: schemaOfService('training', env),
      handler: (events, manager) => projection.apply(events, manager),
    });
  }
}
