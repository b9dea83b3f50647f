import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { IsCalendarDay, PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { CsvInterceptor, NotFoundError } from '@niryat/platform';
import { indianCalendarDate } from '@niryat/india';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { ProgressProjection } from './progress.projection';

export class ProgrammeParams {
  @Matches(PROGRAMME_ID_PATTERN, { message: 'programme must be a programme id' })
  programme!: string;
}

export class ProgressQuery {
  @ApiPropertyOptional({ example: '2026-11-21', description: 'The day progress is measured on (YYYY-MM-DD); today in India by default' })
  @IsOptional()
  @IsCalendarDay()
  asOf?: string;
}

export class QuartersQuery {
  @ApiPropertyOptional({ example: 'flipkart-walmart-odop-up', description: 'One programme; every programme by default' })
  @IsOptional()
  @Matches(PROGRAMME_ID_PATTERN, { message: 'programme must be a programme id' })
  programme?: string;
}

/** Today's calendar day in India (Asia/Kolkata), the day progress is measured on by default. */
export function todayInIndia(now = Date.now()): string {
  return indianCalendarDate(new Date(now));
}

@ApiTags('reports')
@ApiBearerAuth()
@UseInterceptors(CsvInterceptor)
@Controller('v1/reports/progress')
@Roles('analyst')
export class ProgressController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: ProgressProjection,
  ) {}

  /**
   * Each programme's cumulative and per-year value against its target and deadline, with the
   * milestones reached. USD as decimal strings of dollars and cents ("1000000000.00").
   */
  @Get()
  async progress(@Query() query: ProgressQuery) {
    const asOf = query.asOf ?? todayInIndia();
    const programmes = await this.dataSource.transaction('REPEATABLE READ', (manager) => this.projection.read(manager, asOf));
    return { asOf, programmes };
  }

  /**
   * Each programme's net export value per calendar quarter of the shipment day and its growth on
   * the quarter before (one decimal; null for a first quarter or after an empty one), counting the
   * exports attributed to the programme.
   */
  @Get('quarters')
  async quarters(@Query() query: QuartersQuery) {
    const programmes = await this.dataSource.transaction('REPEATABLE READ', (manager) => this.projection.readQuarters(manager, query.programme));
    if (query.programme && programmes.length === 0) throw new NotFoundError('REPORTING.PROGRAMME_NOT_FOUND', `no programme ${query.programme}`, { programme: query.programme });
    return { programmes };
  }

  /** The days each milestone step was first crossed, and the days it took since the previous one. */
  @Get(':programme/milestones')
  async milestones(@Param() { programme }: ProgrammeParams) {
    const result = await this.dataSource.transaction('REPEATABLE READ', (manager) => this.projection.readMilestones(manager, programme));
    if (!result) throw new NotFoundError('REPORTING.PROGRAMME_NOT_FOUND', `no programme ${programme}`, { programme });
    return result;
  }
}
