import { UuidParam } from '@niryat/platform';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { ReasonDto } from '../review/reason.dto';
import { SellerChangeReviewService } from './seller-change-review.service';
import { SellerChangesService } from './seller-changes.service';

@ApiTags('sellers')
@ApiBearerAuth()
@Controller('v1/sellers/:id/changes')
export class SellerChangesController {
  constructor(
    private readonly changes: SellerChangesService,
    private readonly review: SellerChangeReviewService,
  ) {}

  @ApiOperation({
    summary: 'Changes to the state, GSTIN, Udyam number or bank account of an approved seller, latest first',
    description: 'A PATCH of an approved (or suspended) seller that moves it to another state or changes its bank account answers 202 and waits here for a reviewer.',
  })
  @Get()
  @Roles('registrant', 'reviewer')
  async list(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.changes.list(id, principal) };
  }

  @ApiOperation({ summary: 'Approve a pending change: it is applied, checked again against the seller as it is now' })
  @Post(':changeId/approve')
  @HttpCode(200)
  @Roles('reviewer')
  approve(@Param('id', UuidParam) id: string, @Param('changeId', UuidParam) changeId: string, @CurrentPrincipal() principal: Principal) {
    return this.review.approve(id, changeId, principal);
  }

  @ApiOperation({ summary: 'Reject a pending change, with a reason; the seller stays as it was' })
  @Post(':changeId/reject')
  @HttpCode(200)
  @Roles('reviewer')
  reject(
    @Param('id', UuidParam) id: string,
    @Param('changeId', UuidParam) changeId: string,
    @Body() dto: ReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.review.reject(id, changeId, dto.reason, principal);
  }
}
