import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { CsvInterceptor } from '@niryat/platform';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { GST_STATE_CODES, INDIAN_STATES, PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { FunnelProjection } from './funnel.projection';

export class FunnelQuery {
  @ApiPropertyOptional({ example: 'walmart-vriddhi', description: 'A programme id' })
  @IsOptional()
  @Matches(PROGRAMME_ID_PATTERN, { message: 'programme must be a programme id' })
  programme?: string;

  @ApiPropertyOptional({ example: '09', description: 'GST state code' })
  @IsOptional()
  @IsIn(GST_STATE_CODES)
  state?: string;
}

const withStateName = <R extends { stateCode: string }>(row: R) => ({ ...row, stateName: INDIAN_STATES[row.stateCode] ?? row.stateCode });

@ApiTags('reports')
@ApiBearerAuth()
@UseInterceptors(CsvInterceptor)
@Controller('v1/reports')
@Roles('analyst')
export class FunnelController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: FunnelProjection,
  ) {}

  /**
   * Sellers per programme × state (where each seller is now). The stages nest, each implying the
   * ones before it: exporting = an export attributed to the programme; enrolled = enrolled now, or
   * exporting; approved = approved while applying, or enrolled; registered = applied at
   * registration, or approved.
   */
  @ApiOperation({
    summary: 'Seller funnel per programme × state',
    description:
      'Stages nest (registered ≥ approved ≥ enrolled ≥ exporting), each implying the ones before it. exporting: at least one export attributed to the programme ' +
      '(enrolled on its shipment day and sold through one of its marketplaces). enrolled: enrolled in the programme now, or exporting in it. approved: approved ' +
      'while applying for the programme, or enrolled in it. registered: applied for the programme at registration, or approved for it. Each seller counts in the state it is in now.',
  })
  @Get('funnel')
  async funnel(@Query() query: FunnelQuery) {
    const rows = await this.projection.readFunnel(this.dataSource.manager, { programme: query.programme, stateCode: query.state });
    return { rows: rows.map(withStateName) };
  }

  /** Learners per programme × state (where each seller is now): currently enrolled, certified. */
  @Get('training')
  async training(@Query() query: FunnelQuery) {
    const rows = await this.projection.readTraining(this.dataSource.manager, { programme: query.programme, stateCode: query.state });
    return { rows: rows.map(withStateName) };
  }
}
