import { HoldsNoPersonalData } from '@niryat/india';
import { REASON_MAX_LENGTH } from '@niryat/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MARKETPLACE_ACCOUNT_ID_PATTERN, MARKETPLACES, type Marketplace } from '@niryat/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class LinkMarketplaceAccountDto {
  @ApiProperty({ enum: MARKETPLACES, example: 'flipkart' })
  @IsIn(MARKETPLACES)
  marketplace!: Marketplace;

  @ApiProperty({ example: 'FK-SELLER-7781', description: "The seller's account id on that marketplace" })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN, { message: 'accountId must be 1-64 letters, digits, . _ : or -, starting with a letter or digit' })
  accountId!: string;
}

export class MarketplaceAccountParams {
  @IsIn(MARKETPLACES)
  marketplace!: Marketplace;

  @Matches(MARKETPLACE_ACCOUNT_ID_PATTERN)
  accountId!: string;
}

export class UnlinkReasonDto {
  @ApiPropertyOptional({ example: 'Account closed by the marketplace' })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  @HoldsNoPersonalData()
  reason?: string;
}
