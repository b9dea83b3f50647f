import { UuidParam } from '@niryat/platform';
import { Body, Controller, Get, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { RegisterSellerDto } from './register-seller.dto';
import { ListSellersQuery } from './seller-query.dto';
import { SellerQueryService } from './seller-query.service';
import { SellerProfileService } from './seller-profile.service';
import { SellerRegistrationService } from './seller-registration.service';
import { sellerView } from './seller-view';
import { UpdateSellerProfileDto } from './update-seller-profile.dto';

@ApiTags('sellers')
@ApiBearerAuth()
@Controller('v1/sellers')
export class SellersController {
  constructor(
    private readonly registration: SellerRegistrationService,
    private readonly query: SellerQueryService,
    private readonly profile: SellerProfileService,
  ) {}

  @Post()
  @Roles('registrant')
  async register(@Body() dto: RegisterSellerDto, @CurrentPrincipal() principal: Principal) {
    return sellerView(await this.registration.register(dto, principal), principal);
  }

  /** Registrants see the sellers they registered, partners the sellers linked to their marketplace. */
  @Get()
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  async list(@Query() filters: ListSellersQuery, @CurrentPrincipal() principal: Principal) {
    const page = await this.query.list(filters, principal);
    return { ...page, items: page.items.map((seller) => sellerView(seller, principal)) };
  }

  @Get(':id')
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  async get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return sellerView(await this.query.get(id, principal), principal);
  }

  /**
   * 200 with the seller updated; 202 when part of the update waits for a reviewer (an approved
   * seller's move to another state or new bank account): the rest is applied, `pendingChange`
   * says what waits (see GET /v1/sellers/{id}/changes).
   */
  @Patch(':id')
  @Roles('registrant')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateSellerProfileDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { seller, pendingChange } = await this.profile.update(id, dto, principal);
    if (pendingChange) response.status(HttpStatus.ACCEPTED);
    return { ...sellerView(seller, principal), ...(pendingChange ? { pendingChange } : {}) };
  }

  /** Who did what, when and why: every workflow transition and change, oldest first. */
  @Get(':id/history')
  @Roles('registrant', 'reviewer')
  async history(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.query.history(id, principal) };
  }
}
