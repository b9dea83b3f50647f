import { UuidParam } from '@niryat/platform';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { IsCalendarDay, PROGRAMME_ID_PATTERN } from '@niryat/contracts';
import { IsOptional, Matches } from 'class-validator';
import { ReasonDto } from '../review/reason.dto';
import { EnrolmentsService } from './enrolments.service';

export class EnrolDto {
  @ApiProperty({ example: 'walmart-vriddhi' })
  @Matches(PROGRAMME_ID_PATTERN, { message: 'programmeId must be a programme id such as walmart-vriddhi' })
  programmeId!: string;

  @ApiPropertyOptional({
    example: '2019-04-01',
    description:
      'Reviewers only: the day (in India) the seller joined the programme, when it was enrolled before this request (e.g. on the marketplace). ' +
      'Exports shipped from that day count in the programme. Not in the future, not before the programme starts. Default: today in India.',
  })
  @IsOptional()
  @IsCalendarDay()
  enrolledSince?: string;
}

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('v1/sellers/:id/enrolments')
export class EnrolmentsController {
  constructor(private readonly enrolments: EnrolmentsService) {}

  @Post()
  @Roles('registrant', 'reviewer')
  enrol(@Param('id', UuidParam) id: string, @Body() dto: EnrolDto, @CurrentPrincipal() principal: Principal) {
    return this.enrolments.enrol(id, dto.programmeId, principal, dto.enrolledSince);
  }

  @Post(':programmeId/withdraw')
  @HttpCode(200)
  @Roles('registrant', 'reviewer')
  withdraw(
    @Param('id', UuidParam) id: string,
    @Param('programmeId') programmeId: string,
    @Body() dto: ReasonDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.enrolments.withdraw(id, programmeId, dto.reason, principal);
  }

  @Get()
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  async list(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return { items: await this.enrolments.list(id, principal) };
  }
}
