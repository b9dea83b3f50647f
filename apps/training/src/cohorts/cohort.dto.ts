import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDay, MODULE_CODE_PATTERN, REASON_MAX_LENGTH } from '@niryat/contracts';
import { HoldsNoPersonalData } from '@niryat/india';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ScheduleCohortDto {
  @ApiProperty({ example: 'vriddhi-2026' })
  @IsString()
  @MaxLength(64)
  curriculumId!: string;

  @ApiProperty({ example: 'panipat' })
  @IsString()
  @MaxLength(64)
  instituteId!: string;

  @ApiProperty({ example: '2026-04-06' })
  @IsCalendarDay()
  startsOn!: string;

  @ApiProperty({ example: '2026-06-26' })
  @IsCalendarDay()
  endsOn!: string;

  @ApiProperty({ example: 40 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity!: number;
}

export class UpdateCapacityDto {
  @ApiProperty({ example: 45 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity!: number;
}

export class StaffEnrolDto {
  @ApiProperty()
  @IsUUID()
  sellerId!: string;
}

export class MoveLearnerDto {
  @ApiProperty()
  @IsUUID()
  toCohortId!: string;
}

export class WithdrawLearnerDto {
  @ApiProperty({ example: 'Could not attend the April dates' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  @HoldsNoPersonalData()
  reason!: string;
}

export class ScheduleSessionDto {
  @ApiProperty({ example: 'VRD-PACK' })
  @Matches(MODULE_CODE_PATTERN, { message: 'moduleCode must be a module code such as VRD-PACK' })
  moduleCode!: string;

  @ApiProperty({ example: '2026-04-20' })
  @IsCalendarDay()
  heldOn!: string;
}

export class AttendanceDto {
  @ApiProperty({ description: 'Learners present at the session' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  sellerIds!: string[];
}

export class AssessmentDto {
  @ApiProperty()
  @IsUUID()
  sellerId!: string;

  @ApiProperty({ example: 'VRD-PACK' })
  @Matches(MODULE_CODE_PATTERN)
  moduleCode!: string;

  @ApiProperty({ example: 78 })
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;
}

export class ListCohortsQuery {
  @ApiPropertyOptional({ example: 'walmart-vriddhi' })
  @IsOptional()
  @IsString()
  programmeId?: string;
}
