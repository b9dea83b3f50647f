import { UuidParam } from '@niryat/platform';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { AssessmentDto, AttendanceDto, ListCohortsQuery, MoveLearnerDto, ScheduleCohortDto, ScheduleSessionDto, StaffEnrolDto, UpdateCapacityDto, WithdrawLearnerDto } from './cohort.dto';
import { CohortsService } from './cohorts.service';

/** Training staff act as reviewers here; operators may do everything. */
@ApiTags('cohorts')
@ApiBearerAuth()
@Controller('v1/cohorts')
@Roles('reviewer')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @Post()
  schedule(@Body() dto: ScheduleCohortDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.schedule(dto, principal.id);
  }

  @Get()
  @Roles('reviewer', 'analyst')
  async list(@Query() query: ListCohortsQuery) {
    return { items: await this.cohorts.list(query.programmeId) };
  }

  @Get(':id')
  @Roles('reviewer', 'analyst')
  get(@Param('id', UuidParam) id: string) {
    return this.cohorts.get(id);
  }

  @Patch(':id')
  updateCapacity(@Param('id', UuidParam) id: string, @Body() dto: UpdateCapacityDto) {
    return this.cohorts.updateCapacity(id, dto.capacity);
  }

  @Post(':id/learners')
  enrol(@Param('id', UuidParam) id: string, @Body() dto: StaffEnrolDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.enrol(id, dto.sellerId, principal.id);
  }

  @Post(':id/learners/:sellerId/move')
  @HttpCode(200)
  move(@Param('id', UuidParam) id: string, @Param('sellerId', UuidParam) sellerId: string, @Body() dto: MoveLearnerDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.move(id, sellerId, dto.toCohortId, principal.id);
  }

  @Post(':id/learners/:sellerId/withdraw')
  @HttpCode(200)
  withdraw(@Param('id', UuidParam) id: string, @Param('sellerId', UuidParam) sellerId: string, @Body() dto: WithdrawLearnerDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.withdraw(id, sellerId, dto.reason, principal.id);
  }

  @Post(':id/sessions')
  scheduleSession(@Param('id', UuidParam) id: string, @Body() dto: ScheduleSessionDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.scheduleSession(id, dto, principal.id);
  }

  @Post(':id/sessions/:sessionId/attendance')
  @HttpCode(200)
  attendance(@Param('id', UuidParam) id: string, @Param('sessionId', UuidParam) sessionId: string, @Body() dto: AttendanceDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.recordAttendance(id, sessionId, dto.sellerIds, principal.id);
  }

  @Post(':id/assessments')
  @HttpCode(200)
  assessment(@Param('id', UuidParam) id: string, @Body() dto: AssessmentDto, @CurrentPrincipal() principal: Principal) {
    return this.cohorts.recordAssessment(id, dto, principal.id);
  }
}
