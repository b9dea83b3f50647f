import { UuidParam } from '@niryat/platform';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { sellerView } from '../sellers/seller-view';
import { ReviewActionDto } from './review-action.dto';
import { SellerReviewService } from './seller-review.service';
import { ReviewAction } from './seller-workflow';

/** One endpoint per workflow action; an action not allowed from the current state is a 409 naming it. */
@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/sellers/:id')
@Roles('reviewer')
export class SellerReviewController {
  constructor(private readonly review: SellerReviewService) {}

  @Post('start-review')
  @HttpCode(200)
  @ApiOperation({ summary: 'submitted → under-review' })
  startReview(@Param('id', UuidParam) id: string, @Body() dto: ReviewActionDto, @CurrentPrincipal() principal: Principal) {
    return this.act(id, 'start-review', dto, principal);
  }

  @Post('approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'under-review → approved' })
  approve(@Param('id', UuidParam) id: string, @Body() dto: ReviewActionDto, @CurrentPrincipal() principal: Principal) {
    return this.act(id, 'approve', dto, principal);
  }

  @Post('reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'under-review → rejected (reason required)' })
  reject(@Param('id', UuidParam) id: string, @Body() dto: ReviewActionDto, @CurrentPrincipal() principal: Principal) {
    return this.act(id, 'reject', dto, principal);
  }

  @Post('suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'approved → suspended (reason required)' })
  suspend(@Param('id', UuidParam) id: string, @Body() dto: ReviewActionDto, @CurrentPrincipal() principal: Principal) {
    return this.act(id, 'suspend', dto, principal);
  }

  @Post('reinstate')
  @HttpCode(200)
  @ApiOperation({ summary: 'suspended → approved' })
  reinstate(@Param('id', UuidParam) id: string, @Body() dto: ReviewActionDto, @CurrentPrincipal() principal: Principal) {
    return this.act(id, 'reinstate', dto, principal);
  }

  private async act(id: string, action: ReviewAction, dto: ReviewActionDto, principal: Principal) {
    return sellerView(await this.review.apply(id, action, dto.reason, principal), principal);
  }
}
