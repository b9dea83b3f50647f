import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { CsvInterceptor } from '@niryat/platform';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { GST_STATE_CODES, INDIAN_STATES, IsCalendarMonth, NotBefore, PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { ExportAttribution } from '../attribution/export-attribution';
import { ALL_PROGRAMMES } from './export-totals.fold';
import { ExportBreakdown, ExportTotalsProjection } from './export-totals.projection';

const BREAKDOWNS: readonly ExportBreakdown[] = ['destination', 'hs-chapter'];

export class ExportTotalsQuery {
  @ApiPropertyOptional({ example: 'walmart-vriddhi', description: `A programme id, or '${ALL_PROGRAMMES}' for all programmes (a seller in several counts once)` })
  @IsOptional()
  @Matches(new RegExp(`${PROGRAMME_ID_PATTERN.source}|^\\${ALL_PROGRAMMES}$`), { message: `programme must be a programme id or '${ALL_PROGRAMMES}'` })
  programme?: string;

  @ApiPropertyOptional({ example: '09', description: 'GST state code' })
  @IsOptional()
  @IsIn(GST_STATE_CODES)
  state?: string;

  @ApiPropertyOptional({ example: '2026-04', description: 'First month, YYYY-MM (the month the goods were shipped)' })
  @IsOptional()
  @IsCalendarMonth()
  from?: string;

  @ApiPropertyOptional({ example: '2027-03', description: 'Last month, YYYY-MM, included' })
  @IsOptional()
  @IsCalendarMonth()
  @NotBefore('from')
  to?: string;

  @ApiPropertyOptional({ enum: BREAKDOWNS })
  @IsOptional()
  @IsIn(BREAKDOWNS)
  by?: ExportBreakdown;
}

@ApiTags('reports')
@ApiBearerAuth()
@UseInterceptors(CsvInterceptor)
@Controller('v1/reports')
@Roles('analyst')
export class ExportTotalsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: ExportTotalsProjection,
    private readonly attribution: ExportAttribution,
  ) {}

  /**
   * Exports set aside for a programme the catalogue does not hold yet, per programme: counted in
   * the all-programme rows already, and in the programme once its definition arrives. Anything
   * here for long means a programme never published to niryat.onboarding.programme.v1.
   */
  @Get('exports/set-aside')
  async setAside() {
    return { programmes: await this.attribution.pending(this.dataSource.manager) };
  }

  /**
   * Export value (USD and INR, strings of integer minor units), orders, exporting sellers and
   * returns per programme × state × shipment month; with `by`, the breakdown nested in each row.
   */
  @Get('exports')
  async exports(@Query() query: ExportTotalsQuery) {
    // One snapshot for the rows and their breakdowns, so they always add up.
    const rows = await this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.projection.read(manager, { programme: query.programme, stateCode: query.state, from: query.from, to: query.to, by: query.by }),
    );
    return { rows: rows.map((row) => ({ ...row, stateName: INDIAN_STATES[row.stateCode] ?? row.stateCode })) };
  }
}
