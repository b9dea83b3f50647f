import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import { ActorField, ProgrammeIdField, ReasonField, SellerIdField, StateCodeField, TimestampField } from '../reference/field-rules';
import { GST_STATE_CODES } from '../reference/indian-states';
import { CALENDAR_DATE_PATTERN } from '../reference/marketplaces';
import { Topics } from '../topics';

/** Module codes: upper-case letters and digits with dashes, e.g. `VRD-EXPDOC`. */
export const MODULE_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
/** Certificate numbers: `NIRYAT-<programme>-<year>-<6 digits>`, e.g. `NIRYAT-VRD-2026-000042`. */
export const CERTIFICATE_NUMBER_PATTERN = /^NIRYAT-[A-Z0-9]{2,8}-\d{4}-\d{6}$/;

/** A cohort: a curriculum taught at an institute between two dates, for a number of learners. */
export class CohortScheduledV1 {
  @IsUUID()
  cohortId!: string;

  @ProgrammeIdField()
  programmeId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  instituteId!: string;

  /** The institute's state; absent for online cohorts. */
  @IsOptional()
  @IsIn(GST_STATE_CODES)
  stateCode?: string;

  @Matches(CALENDAR_DATE_PATTERN)
  startsOn!: string;

  @Matches(CALENDAR_DATE_PATTERN)
  endsOn!: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity!: number;

  @TimestampField()
  scheduledAt!: string;
}

/** What every learner event says: who, in which cohort of which programme, from which state. */
export class LearnerFactsV1 {
  @SellerIdField()
  sellerId!: string;

  @IsUUID()
  cohortId!: string;

  @ProgrammeIdField()
  programmeId!: string;

  @StateCodeField()
  stateCode!: string;

  /** `system` for automatic invitations, else the staff credential id. */
  @ActorField()
  by!: string;
}

export class LearnerEnrolledV1 extends LearnerFactsV1 {
  @TimestampField()
  enrolledAt!: string;
}

export class LearnerWaitlistedV1 extends LearnerFactsV1 {
  /** 1 = next to get a seat. */
  @IsInt()
  @Min(1)
  position!: number;

  @TimestampField()
  waitlistedAt!: string;
}

export class LearnerWithdrawnV1 extends LearnerFactsV1 {
  @ReasonField()
  reason!: string;

  @TimestampField()
  withdrawnAt!: string;
}

export class ModuleCompletedV1 extends LearnerFactsV1 {
  @Matches(MODULE_CODE_PATTERN)
  moduleCode!: string;

  /** The assessment score, when the module is assessed. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @TimestampField()
  completedAt!: string;
}

export class CertificationAwardedV1 extends LearnerFactsV1 {
  @Matches(CERTIFICATE_NUMBER_PATTERN)
  certificateNumber!: string;

  @TimestampField()
  awardedAt!: string;
}

function trainingEvent<P extends object>(name: string, payload: PayloadClass<P>, keyOf: (p: P) => string, subjectOf: (p: P) => string) {
  return defineEvent<P>({ type: `niryat.training.${name}.v1`, payload, topic: Topics.training, keyOf, subjectOf });
}
const bySeller = (p: { sellerId: string }) => p.sellerId;
const learnerSubject = (p: { sellerId: string; cohortId: string }) => `cohorts/${p.cohortId}/learners/${p.sellerId}`;

export const CohortScheduled = trainingEvent('cohort-scheduled', CohortScheduledV1, (p) => p.cohortId, (p) => `cohorts/${p.cohortId}`);
export const LearnerEnrolled = trainingEvent('learner-enrolled', LearnerEnrolledV1, bySeller, learnerSubject);
export const LearnerWaitlisted = trainingEvent('learner-waitlisted', LearnerWaitlistedV1, bySeller, learnerSubject);
export const LearnerWithdrawn = trainingEvent('learner-withdrawn', LearnerWithdrawnV1, bySeller, learnerSubject);
export const ModuleCompleted = trainingEvent('module-completed', ModuleCompletedV1, bySeller, learnerSubject);
export const CertificationAwarded = trainingEvent('certification-awarded', CertificationAwardedV1, bySeller, learnerSubject);

export const TRAINING_EVENTS = [CohortScheduled, LearnerEnrolled, LearnerWaitlisted, LearnerWithdrawn, ModuleCompleted, CertificationAwarded];
