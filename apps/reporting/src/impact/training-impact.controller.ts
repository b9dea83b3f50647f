import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { CsvInterceptor } from '@niryat/platform';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { readTrainingImpact } from './training-impact';

export class TrainingImpactQuery {
  @ApiPropertyOptional({ example: 'walmart-vriddhi', description: 'A programme id' })
  @IsOptional()
  @Matches(PROGRAMME_ID_PATTERN, { message: 'programme must be a programme id' })
  programme?: string;
}

@ApiTags('reports')
@ApiBearerAuth()
@UseInterceptors(CsvInterceptor)
@Controller('v1/reports')
@Roles('analyst')
export class TrainingImpactController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Per programme, certified and not-yet-certified participants: how many, how many exported,
   * their net export value (USD and INR minor units, strings) and the value per seller.
   */
  @Get('impact')
  async impact(@Query() query: TrainingImpactQuery) {
    return { rows: await readTrainingImpact(this.dataSource.manager, query.programme) };
  }
}
