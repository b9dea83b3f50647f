import { ApiProperty } from '@nestjs/swagger';
import { GST_STATE_CODES, PROGRAMME_CODE_PATTERN } from '@niryat/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The minimal registration form; the full MSME form (GSTIN, PAN, Udyam, …) replaces it later. */
export class RegisterSellerDto {
  @ApiProperty({ example: 'Moradabad Brassware Works' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  legalName!: string;

  @ApiProperty({ example: '09', description: 'GST state code of the seller (09 = Uttar Pradesh)' })
  @Transform(trim)
  @IsIn(GST_STATE_CODES, { message: 'stateCode must be a GST state code (01-38, 97 or 99)' })
  stateCode!: string;

  @ApiProperty({ example: ['amazon-global-selling'], description: 'Programme codes applied for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(PROGRAMME_CODE_PATTERN, { each: true, message: 'each programme must be a programme code such as amazon-global-selling' })
  programmes!: string[];
}

export class ApproveSellerDto {
  @ApiProperty({ required: false, example: 'reviewer-17', description: 'Reviewer id recorded with the approval' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  reviewedBy?: string;
}
