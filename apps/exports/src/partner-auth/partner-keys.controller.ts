import { Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { PartnerKeyParams, PartnerParams } from './partner-key.dto';
import { PartnerKeysService } from './partner-keys.service';

/** Operators manage the keys partners sign their HTTP ingest requests with. */
@ApiTags('partner keys')
@ApiBearerAuth()
@Roles('operator')
@Controller('v1/partners/:partnerId/keys')
export class PartnerKeysController {
  constructor(private readonly keys: PartnerKeysService) {}

  /** The secret is in this answer only; hand it to the partner, nothing else can show it again. */
  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiConflictResponse({ description: 'PARTNER_AUTH.TOO_MANY_ACTIVE_KEYS: the partner already has two active keys' })
  create(@Param() { partnerId }: PartnerParams, @CurrentPrincipal() principal: Principal) {
    return this.keys.create(partnerId, principal.id);
  }

  @Get()
  async list(@Param() { partnerId }: PartnerParams) {
    return { items: await this.keys.list(partnerId) };
  }

  @Delete(':keyId')
  @HttpCode(204)
  revoke(@Param() { partnerId, keyId }: PartnerKeyParams, @CurrentPrincipal() principal: Principal) {
    return this.keys.revoke(partnerId, keyId, principal.id);
  }
}
