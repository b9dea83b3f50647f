import { ApiProperty } from '@nestjs/swagger';
import { REASON_MAX_LENGTH } from '@niryat/contracts';
import { HoldsNoPersonalData } from '@niryat/india';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** A decision that needs a reason: short operator text, never personal data (it travels on the event). */
export class ReasonDto {
  @ApiProperty({ example: 'The cancelled cheque is in the name of another business', maxLength: REASON_MAX_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  @HoldsNoPersonalData()
  reason!: string;
}
