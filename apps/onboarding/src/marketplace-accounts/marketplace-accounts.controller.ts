import { UuidParam } from '@niryat/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { LinkMarketplaceAccountDto, MarketplaceAccountParams, UnlinkReasonDto } from './marketplace-account.dto';
import { MarketplaceAccountsService } from './marketplace-accounts.service';

@ApiTags('marketplace accounts')
@ApiBearerAuth()
@Controller()
export class MarketplaceAccountsController {
  constructor(private readonly accounts: MarketplaceAccountsService) {}

  @Post('v1/sellers/:id/marketplace-accounts')
  @Roles('operator')
  link(@Param('id', UuidParam) id: string, @Body() dto: LinkMarketplaceAccountDto, @CurrentPrincipal() principal: Principal) {
    return this.accounts.link(id, dto.marketplace, dto.accountId, principal);
  }

  @Get('v1/sellers/:id/marketplace-accounts')
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  async list(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.accounts.listForSeller(id, principal) };
  }

  @Delete('v1/sellers/:id/marketplace-accounts/:marketplace/:accountId')
  @Roles('operator')
  @HttpCode(204)
  unlink(
    @Param('id', UuidParam) id: string,
    @Param() params: MarketplaceAccountParams & { id: string },
    @Body() dto: UnlinkReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.accounts.unlink(id, params.marketplace, params.accountId, dto.reason, principal);
  }

  /** Which seller holds an account: what a partner integration or the exports service asks. */
  @Get('v1/marketplace-accounts/:marketplace/:accountId')
  @Roles('partner', 'reviewer')
  lookup(@Param() params: MarketplaceAccountParams, @CurrentPrincipal() principal: Principal) {
    return this.accounts.lookup(params.marketplace, params.accountId, principal);
  }
}
