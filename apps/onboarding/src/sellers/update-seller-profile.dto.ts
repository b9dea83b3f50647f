import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { AddressDto, BankAccountDto, ContactDto, ProductDto } from './register-seller.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);

/** A seller moving to another state gets a new GSTIN (it embeds the state) and states its Udyam number again. */
export class RelocationDto {
  @ApiPropertyOptional({ example: '06' })
  @IsString()
  stateCode!: string;

  @ApiPropertyOptional({ example: 'Panipat' })
  @IsString()
  district!: string;

  @ApiPropertyOptional({ example: '06AAECM1234F1ZX' })
  @IsString()
  gstin!: string;

  @ApiPropertyOptional({ example: 'UDYAM-HR-12-0004567' })
  @IsString()
  udyamNumber!: string;
}

/**
 * The parts of a profile a seller keeps up to date. Every field is optional; the merged profile is
 * checked with the registration rules, so an update can never store what registration would refuse.
 */
export class UpdateSellerProfileDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  tradeName?: string;

  @ApiPropertyOptional({ example: 'Sambhal', description: 'A new district in the same state' })
  @IsOptional()
  @IsString()
  district?: string;

  @ApiPropertyOptional({ type: RelocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RelocationDto)
  relocation?: RelocationDto;

  @ApiPropertyOptional({ type: AddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ type: BankAccountDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BankAccountDto)
  bankAccount?: BankAccountDto;

  @ApiPropertyOptional({ type: [ProductDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProductDto)
  products?: ProductDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  odopProduct?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  investmentInPlantAndMachinery?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  annualTurnover?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  exportTurnover?: number;
}
