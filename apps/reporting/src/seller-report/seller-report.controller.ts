import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { CsvInterceptor } from '@niryat/platform';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { INDIAN_STATES } from '@niryat/contracts';
import { DataSource } from 'typeorm';
import { ApprovedSellersProjection } from './approved-sellers.projection';

@ApiTags('reports')
@ApiBearerAuth()
@UseInterceptors(CsvInterceptor)
@Controller('v1/reports')
@Roles('analyst')
export class SellerReportController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: ApprovedSellersProjection,
  ) {}

  /** Approved sellers per programme × state; a seller in two programmes counts once in the total. */
  @Get('sellers')
  async sellers() {
    // One snapshot for both reads, so the rows always add up to the total shown beside them.
    const { rows, totalApprovedSellers } = await this.dataSource.transaction('REPEATABLE READ', (manager) => this.projection.read(manager));
    return {
      rows: rows.map((row) => ({ ...row, stateName: INDIAN_STATES[row.stateCode] ?? row.stateCode })),
      totalApprovedSellers,
    };
  }
}
