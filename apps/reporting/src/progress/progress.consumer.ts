import { Inject, Injectable } from '@nestjs/common';
import { ExportAdjusted, ExportRecorded, ProgrammeDefined, ProgrammeUpdated, Topics } from '@niryat/contracts';
import { BatchConsumerOptions, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../reporting.env';
import { ProgressProjection } from './progress.projection';

export const PROGRESS_GROUP = 'reporting.progress';

/** The consumer's options, shared with the integration test so it runs the consumer the app runs. */
export function progressConsumerOptions(
  projection: ProgressProjection,
  schema: string,
  maxChunkSize?: number,
): Omit<BatchConsumerOptions, 'afterDatabaseCommit'> {
  return {
    groupId: PROGRESS_GROUP,
    topics: [Topics.onboardingProgramme, Topics.exports],
    handles: [ProgrammeDefined, ProgrammeUpdated, ExportRecorded, ExportAdjusted],
    schema,
    maxChunkSize,
    handler: (events, manager) => projection.apply(events, manager),
  };
}

/** Feeds programme definitions and export values into the progress views; thin: the projection does the work. */
@Injectable()
export class ProgressConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: ProgressProjection, @Inject(SERVICE_ENV) env: ReportingEnv) {
    super(dataSource, kafka, progressConsumerOptions(projection, schemaOfService('reporting', env), env.CONSUMER_CHUNK_SIZE));
  }
}
