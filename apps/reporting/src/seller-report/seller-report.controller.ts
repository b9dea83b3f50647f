import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { INDIAN_STATES } from '@niryat/contracts';
import { DataSource } from 'typeorm';
import { ApprovedSellersProjection } from './approved-sellers.projection';

@ApiTags('reports')
@Controller('v1/reports')
export class SellerReportController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: ApprovedSellersProjection,
  ) {}

  /** Approved sellers per programme × state; a seller in two programmes counts once in the total. */
  @Get('sellers')
  async sellers() {
    const { rows, totalApprovedSellers } = await this.projection.read(this.dataSource.manager);
    return {
      rows: rows.map((row) => ({ ...row, stateName: INDIAN_STATES[row.stateCode] ?? row.stateCode })),
      totalApprovedSellers,
    };
  }
}
