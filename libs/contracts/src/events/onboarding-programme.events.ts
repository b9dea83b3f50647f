import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { defineEvent, PayloadClass } from '../event-definition';
import { GST_STATE_CODES } from '../reference/indian-states';
import { CALENDAR_DATE_PATTERN, MARKETPLACES, PROGRAMME_ID_PATTERN, PROGRAMME_KINDS, TARGET_BASES, type Marketplace, type ProgrammeKind, type TargetBasis } from '../reference/marketplaces';
import { Topics } from '../topics';


/**
 * A programme as the catalogue holds it after a change: the whole definition every time, so a
 * consumer needs only the latest event per programme (the topic is keyed by programme id).
 */
export class ProgrammeSnapshotV1 {
  @Matches(PROGRAMME_ID_PATTERN)
  programmeId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsIn(MARKETPLACES)
  partner!: Marketplace;

  /**
   * The marketplaces whose exports count in the programme (Amazon Global Selling: `amazon`; the
   * UP ODOP programme: `flipkart` and `walmart`). Absent only in snapshots written before the
   * field existed: read those as `[partner]` (see `programmeMarketplaces`).
   */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @ArrayMaxSize(MARKETPLACES.length)
  @IsIn(MARKETPLACES, { each: true })
  marketplaces?: Marketplace[];

  @IsIn(PROGRAMME_KINDS)
  kind!: ProgrammeKind;

  /** True when the programme is open to sellers in every state; `states` is then empty. */
  @IsBoolean()
  allIndia!: boolean;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(40)
  @IsIn(GST_STATE_CODES, { each: true })
  states!: string[];

  /** First day of the programme (YYYY-MM-DD), when known: the clock for "time to the first billion". */
  @IsOptional()
  @Matches(CALENDAR_DATE_PATTERN)
  startsOn?: string;

  /** Export value target in whole US dollars. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  exportTargetUsd?: number;

  @IsOptional()
  @IsIn(TARGET_BASES)
  exportTargetBasis?: TargetBasis;

  @IsOptional()
  @Matches(CALENDAR_DATE_PATTERN)
  exportTargetDeadline?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  trainingTargetMsmes?: number;

  @IsOptional()
  @Matches(CALENDAR_DATE_PATTERN)
  trainingTargetDeadline?: string;

  /** Export milestones are counted every this many US dollars (e.g. every USD 1 bn). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  milestoneStepUsd?: number;

  /** Increases by one with every change, so consumers can ignore an older snapshot arriving late. */
  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601({ strict: true })
  changedAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  changedBy!: string;
}

/** The marketplaces whose exports count in a programme, for snapshots with and without the field. */
export function programmeMarketplaces(snapshot: Pick<ProgrammeSnapshotV1, 'partner' | 'marketplaces'>): Marketplace[] {
  return snapshot.marketplaces && snapshot.marketplaces.length > 0 ? [...snapshot.marketplaces].sort() : [snapshot.partner];
}

export class ProgrammeDefinedV1 extends ProgrammeSnapshotV1 {}
export class ProgrammeUpdatedV1 extends ProgrammeSnapshotV1 {}

function programmeEvent<P extends { programmeId: string }>(type: string, payload: PayloadClass<P>) {
  return defineEvent<P>({
    type,
    payload,
    topic: Topics.onboardingProgramme,
    keyOf: (p) => p.programmeId,
    subjectOf: (p) => `programmes/${p.programmeId}`,
  });
}

export const ProgrammeDefined = programmeEvent('niryat.onboarding.programme.defined.v1', ProgrammeDefinedV1);
export const ProgrammeUpdated = programmeEvent('niryat.onboarding.programme.updated.v1', ProgrammeUpdatedV1);
