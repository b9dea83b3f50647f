import { ExportAdjusted, ExportRecorded, ProgrammeDefined, ProgrammeUpdated, Topics } from '@niryat/contracts';
import { BatchConsumerOptions } from '@niryat/messaging';
import { ProgressProjection } from './progress.projection';

export const PROGRESS_GROUP = 'reporting.progress';

/** This projection's part of the reporting consumer (ReportingViews.consumer); its spec runs it alone. */
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
