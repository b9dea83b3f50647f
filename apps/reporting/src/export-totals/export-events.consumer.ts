import { Inject, Injectable } from '@nestjs/common';
import { ExportAdjusted, ExportRecorded, Topics } from '@niryat/contracts';
import { BatchConsumerOptions, KafkaClient } from '@niryat/messaging';
import { BatchConsumerHost, SERVICE_ENV, schemaOfService } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../reporting.env';
import { ExportTotalsProjection } from './export-totals.projection';

export const EXPORT_EVENTS_GROUP = 'reporting.export-events';

/** The consumer's options, shared with the integration test so it runs the consumer the app runs. */
export function exportEventsConsumerOptions(
  projection: ExportTotalsProjection,
  schema: string,
  maxChunkSize?: number,
): Omit<BatchConsumerOptions, 'afterDatabaseCommit'> {
  return {
    groupId: EXPORT_EVENTS_GROUP,
    topics: [Topics.exports],
    handles: [ExportRecorded, ExportAdjusted],
    schema,
    maxChunkSize,
    handler: (events, manager) => projection.apply(events, manager),
  };
}

/** Feeds the exports service's recognised values and corrections into the export views; thin: the projection does the work. */
@Injectable()
export class ExportEventsConsumer extends BatchConsumerHost {
  constructor(dataSource: DataSource, kafka: KafkaClient, projection: ExportTotalsProjection, @Inject(SERVICE_ENV) env: ReportingEnv) {
    super(dataSource, kafka, exportEventsConsumerOptions(projection, schemaOfService('reporting', env), env.CONSUMER_CHUNK_SIZE));
  }
}
