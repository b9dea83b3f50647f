import { ExportAdjusted, ExportRecorded, Topics } from '@niryat/contracts';
import { BatchConsumerOptions } from '@niryat/messaging';
import { ExportTotalsProjection } from './export-totals.projection';

export const EXPORT_EVENTS_GROUP = 'reporting.export-events';

/** This projection's part of the reporting consumer (ReportingViews.consumer); its spec runs it alone. */
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
