import { ApiPropertyOptional } from '@nestjs/swagger';
import { GST_STATE_CODES, PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SELLER_STATUSES, type SellerStatus } from '../review/seller-workflow';

export class ListSellersQuery {
  @ApiPropertyOptional({ example: '09' })
  @IsOptional()
  @IsIn(GST_STATE_CODES, { message: 'state must be a GST state code' })
  state?: string;

  @ApiPropertyOptional({ example: 'Moradabad' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  district?: string;

  @ApiPropertyOptional({ enum: SELLER_STATUSES })
  @IsOptional()
  @IsIn(SELLER_STATUSES)
  status?: SellerStatus;

  @ApiPropertyOptional({ example: 'walmart-vriddhi', description: 'Sellers who applied for or are enrolled in it' })
  @IsOptional()
  @Matches(PROGRAMME_ID_PATTERN)
  programme?: string;

  @ApiPropertyOptional({ example: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ example: 20, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}
