import { Inject, Injectable } from '@nestjs/common';
import { ModuleCompleted, ModuleCompletedV1, Topics } from '@niryat/contracts';
import { InboundEvent, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { TrainingEnv } from '../training.env';
import { CertificationProjection } from './certification.projection';

export const CERTIFICATION_GROUP = 'training.certification';

@Injectable()
export class CertificationConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: CertificationProjection, @Inject(SERVICE_ENV) env: TrainingEnv) {
    super(dataSource, kafka, {
      groupId: CERTIFICATION_GROUP,
      topics: [Topics.training],
      handles: [ModuleCompleted],
      schema: schemaOfService('training', env),
      handler: (events, manager) => projection.apply(events as InboundEvent<ModuleCompletedV1>[], manager),
    });
  }
}
