import { ApiProperty } from '@nestjs/swagger';
import { MARKETPLACES, type Marketplace } from '@niryat/contracts';
import { IsIn, Matches } from 'class-validator';
import { PARTNER_KEY_ID_PATTERN } from './partner-signature';

export class PartnerParams {
  @ApiProperty({ enum: MARKETPLACES, example: 'flipkart' })
  @IsIn(MARKETPLACES)
  partnerId!: Marketplace;
}

export class PartnerKeyParams extends PartnerParams {
  @ApiProperty({ example: 'pk_3f9a0c1d2e4b5a6978c0d1e2' })
  @Matches(PARTNER_KEY_ID_PATTERN, { message: 'keyId must be pk_ and 24 lower-case hex characters' })
  keyId!: string;
}
