import { HoldsNoPersonalData } from '@niryat/india';
import { REASON_MAX_LENGTH } from '@niryat/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ReviewActionDto {
  @ApiPropertyOptional({ example: 'GSTIN cancelled on the GST portal', description: 'Required to reject and to suspend' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  @HoldsNoPersonalData()
  reason?: string;
}
