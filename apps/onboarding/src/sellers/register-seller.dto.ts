import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GST_STATE_CODES, PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import {
  GstinMatchesPan,
  GstinMatchesState,
  IecMatchesPan,
  IsGstin,
  IsIec,
  IsIfsc,
  IsIndianMobile,
  IsItcHsCode,
  IsPan,
  IsPinCode,
  IsUdyamNumber,
  NormaliseIdentifier,
  NormaliseIndianMobile,
  UdyamMatchesState,
} from '@niryat/india';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONSTITUTIONS, ExportTurnoverWithinTurnover, PanMatchesConstitution, type Constitution } from './seller-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const MAX_RUPEES = Number.MAX_SAFE_INTEGER;

export class AddressDto {
  @ApiProperty({ example: 'Plot 14, Peetal Nagri Industrial Area' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  line1!: string;

  @ApiPropertyOptional({ example: 'Near Railway Crossing' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  line2?: string;

  @ApiProperty({ example: 'Moradabad' })
  @Transform(trim)
  @IsString()
  @Length(2, 80)
  city!: string;

  @ApiProperty({ example: '244001', description: 'Six digits, not starting with 0' })
  @Transform(trim)
  @IsPinCode()
  pinCode!: string;
}

export class ContactDto {
  @ApiProperty({ example: 'exports@moradabadbrass.example' })
  @Transform(lower)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '+919876543210', description: '+91 and ten digits starting 6-9; spaces and hyphens are removed' })
  @NormaliseIndianMobile()
  @IsIndianMobile()
  mobile!: string;
}

export class BankAccountDto {
  @ApiProperty({ example: 'SBIN0001234' })
  @NormaliseIdentifier()
  @IsIfsc()
  ifsc!: string;

  @ApiProperty({ example: '30211234567', description: '9 to 18 digits; never returned in full, never in events' })
  @Transform(trim)
  @Matches(/^\d{9,18}$/, { message: 'accountNumber must be 9 to 18 digits' })
  accountNumber!: string;
}

export class ProductDto {
  @ApiProperty({ example: '74198030', description: 'ITC(HS) code, 8 digits' })
  @Transform(trim)
  @IsItcHsCode()
  hsCode!: string;

  @ApiProperty({ example: 'Brass handicraft articles' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  description!: string;
}

/** Everything a seller declares at registration; every rule failure is reported, all at once. */
export class RegisterSellerDto {
  @ApiProperty({ example: 'Moradabad Brass Handicrafts Private Limited' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  legalName!: string;

  @ApiPropertyOptional({ example: 'Peetal Craft' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  tradeName?: string;

  @ApiProperty({ enum: CONSTITUTIONS, example: 'private-limited' })
  @IsIn(CONSTITUTIONS)
  constitution!: Constitution;

  @ApiProperty({ example: '09AAECM1234F1Z5', description: 'GSTIN; its state code and PAN must match stateCode and pan' })
  @NormaliseIdentifier()
  @IsGstin()
  @GstinMatchesState('stateCode')
  @GstinMatchesPan('pan')
  gstin!: string;

  @ApiProperty({ example: 'AAECM1234F' })
  @NormaliseIdentifier()
  @IsPan()
  @PanMatchesConstitution('constitution')
  pan!: string;

  @ApiProperty({ example: 'UDYAM-UP-47-0012345' })
  @NormaliseIdentifier()
  @IsUdyamNumber()
  @UdyamMatchesState('stateCode')
  udyamNumber!: string;

  @ApiProperty({ example: 'AAECM1234F', description: 'Importer-Exporter Code: equal to the PAN since 2017' })
  @NormaliseIdentifier()
  @IsIec()
  @IecMatchesPan('pan')
  iec!: string;

  @ApiProperty({ example: '09', description: 'GST state code' })
  @Transform(trim)
  @IsIn(GST_STATE_CODES, { message: 'stateCode must be a GST state code (01-38, 97 or 99)' })
  stateCode!: string;

  @ApiProperty({ example: 'Moradabad' })
  @Transform(trim)
  @IsString()
  @Length(2, 80)
  district!: string;

  @ApiProperty({ type: AddressDto })
  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @ApiProperty({ type: ContactDto })
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @ApiProperty({ type: BankAccountDto })
  @ValidateNested()
  @Type(() => BankAccountDto)
  bankAccount!: BankAccountDto;

  @ApiProperty({ type: [ProductDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProductDto)
  products!: ProductDto[];

  @ApiPropertyOptional({ example: 'Brassware (Peetal)', description: "The district's ODOP product, when the seller makes it" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 100)
  odopProduct?: string;

  @ApiProperty({ example: 18_000_000, description: 'Investment in plant and machinery, whole rupees' })
  @IsInt()
  @Min(0)
  @Max(MAX_RUPEES)
  investmentInPlantAndMachinery!: number;

  @ApiProperty({ example: 120_000_000, description: 'Annual turnover, whole rupees, exports included' })
  @IsInt()
  @Min(0)
  @Max(MAX_RUPEES)
  annualTurnover!: number;

  @ApiProperty({ example: 45_000_000, description: 'Export turnover, whole rupees; excluded from turnover for MSME classification' })
  @IsInt()
  @Min(0)
  @Max(MAX_RUPEES)
  @ExportTurnoverWithinTurnover('annualTurnover')
  exportTurnover!: number;

  @ApiProperty({ example: ['flipkart-walmart-odop-up'], description: 'Programme ids applied for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(PROGRAMME_ID_PATTERN, { each: true, message: 'each programme must be a programme id such as amazon-global-selling' })
  programmes!: string[];
}
