import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GST_STATE_CODES, IsCalendarDay, MARKETPLACES, PROGRAMME_ID_PATTERN, PROGRAMME_KINDS, TARGET_BASES, type Marketplace, type ProgrammeKind, type TargetBasis } from '@niryat/contracts';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Fields that only make sense together: an export target needs its basis and deadline, a list of states needs allIndia false. */
function Requires(fields: string[], when: (value: unknown) => boolean, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'requiresCompanionFields',
      validator: {
        validate: (value, args) => !when(value) || fields.every((f) => (args?.object as Record<string, unknown>)[f] !== undefined),
        defaultMessage: (args) => `${args?.property} needs ${fields.join(' and ')} as well`,
      },
    },
    options,
  );
}

function StatesMatchCoverage(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'statesMatchCoverage',
      validator: {
        validate: (states, args) => {
          const allIndia = (args?.object as { allIndia?: unknown }).allIndia;
          if (!Array.isArray(states) || typeof allIndia !== 'boolean') return true;
          return allIndia ? states.length === 0 : states.length > 0;
        },
        defaultMessage: () => 'states must be empty when allIndia is true, and list at least one state otherwise',
      },
    },
    options,
  );
}

/** A programme's definition: everything an operator sets. `id` is fixed at creation. */
export class ProgrammeDefinitionDto {
  @ApiProperty({ example: 'Amazon Global Selling' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ enum: MARKETPLACES, example: 'amazon' })
  @IsIn(MARKETPLACES)
  partner!: Marketplace;

  @ApiPropertyOptional({
    enum: MARKETPLACES,
    isArray: true,
    example: ['flipkart', 'walmart'],
    description:
      'The marketplaces whose exports count in the programme: an export counts when its seller is enrolled on the shipment day and the order came through one of these. Defaults to [partner].',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @ArrayMaxSize(MARKETPLACES.length)
  @IsIn(MARKETPLACES, { each: true, message: `each marketplace must be one of ${MARKETPLACES.join(', ')}` })
  marketplaces?: Marketplace[];

  @ApiProperty({ enum: PROGRAMME_KINDS, example: 'export' })
  @IsIn(PROGRAMME_KINDS)
  kind!: ProgrammeKind;

  @ApiProperty({ example: true })
  @IsBoolean()
  allIndia!: boolean;

  @ApiProperty({ example: [], description: 'GST state codes covered when allIndia is false' })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(40)
  @IsIn(GST_STATE_CODES, { each: true, message: 'each state must be a GST state code' })
  @StatesMatchCoverage()
  states!: string[];

  @ApiPropertyOptional({ example: '2015-05-01' })
  @IsOptional()
  @IsCalendarDay()
  startsOn?: string;

  @ApiPropertyOptional({ example: 10_000_000_000, description: 'Export value target, whole US dollars' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  @Requires(['exportTargetBasis', 'exportTargetDeadline'], (v) => v !== undefined)
  exportTargetUsd?: number;

  @ApiPropertyOptional({ enum: TARGET_BASES, example: 'cumulative' })
  @IsOptional()
  @IsIn(TARGET_BASES)
  @Requires(['exportTargetUsd'], (v) => v !== undefined)
  exportTargetBasis?: TargetBasis;

  @ApiPropertyOptional({ example: '2025-12-31' })
  @IsOptional()
  @IsCalendarDay()
  @Requires(['exportTargetUsd'], (v) => v !== undefined)
  exportTargetDeadline?: string;

  @ApiPropertyOptional({ example: 50_000, description: 'Number of MSMEs to train' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  trainingTargetMsmes?: number;

  @ApiPropertyOptional({ example: '2027-12-31' })
  @IsOptional()
  @IsCalendarDay()
  @Requires(['trainingTargetMsmes'], (v) => v !== undefined)
  trainingTargetDeadline?: string;

  @ApiPropertyOptional({ example: 1_000_000_000, description: 'Export milestones every this many US dollars' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  milestoneStepUsd?: number;
}

export class DefineProgrammeDto extends ProgrammeDefinitionDto {
  @ApiProperty({ example: 'amazon-global-selling', description: 'Slug, fixed for ever' })
  @Matches(PROGRAMME_ID_PATTERN, { message: 'id must be a lower-case slug such as amazon-global-selling' })
  @Length(3, 64)
  id!: string;
}

export class UpdateProgrammeDto extends ProgrammeDefinitionDto {
  @ApiProperty({ example: 1, description: 'The version being replaced (optimistic concurrency): a stale one is a 409' })
  @IsInt()
  @Min(1)
  expectedVersion!: number;
}
