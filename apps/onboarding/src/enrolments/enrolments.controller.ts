import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { EnrolmentsService } from './enrolments.service';

export class EnrolDto {
  @ApiProperty({ example: 'walmart-vriddhi' })
  @Matches(PROGRAMME_ID_PATTERN, { message: 'programmeId must be a programme id such as walmart-vriddhi' })
  programmeId!: string;
}

export class WithdrawDto {
  @ApiProperty({ example: 'Seller moved to another programme' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('v1/sellers/:id/enrolments')
export class EnrolmentsController {
  constructor(private readonly enrolments: EnrolmentsService) {}

  @Post()
  @Roles('registrant', 'reviewer')
  enrol(@Param('id', ParseUUIDPipe) id: string, @Body() dto: EnrolDto, @CurrentPrincipal() principal: Principal) {
    return this.enrolments.enrol(id, dto.programmeId, principal);
  }

  @Post(':programmeId/withdraw')
  @HttpCode(200)
  @Roles('registrant', 'reviewer')
  withdraw(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('programmeId') programmeId: string,
    @Body() dto: WithdrawDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.enrolments.withdraw(id, programmeId, dto.reason, principal);
  }

  @Get()
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  async list(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.enrolments.list(id, principal) };
  }
}
