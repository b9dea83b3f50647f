import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
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
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return sellerView(await this.query.get(id, principal), principal);
  }

  @Patch(':id')
  @Roles('registrant')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSellerProfileDto, @CurrentPrincipal() principal: Principal) {
    return sellerView(await this.profile.update(id, dto, principal), principal);
  }

  /** Who did what, when and why: every workflow transition and change, oldest first. */
  @Get(':id/history')
  @Roles('registrant', 'reviewer')
  async history(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.query.history(id, principal) };
  }
}
