import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@niryat/auth';
import { CERTIFICATE_NUMBER_PATTERN } from '@niryat/contracts';
import { NotFoundError, UuidParam } from '@niryat/platform';
import { Matches } from 'class-validator';
import { DataSource } from 'typeorm';

export class CertificateParams {
  @Matches(CERTIFICATE_NUMBER_PATTERN, { message: 'number must look like NIRYAT-VRD-2026-000042' })
  number!: string;
}

@ApiTags('certificates')
@Controller('v1')
export class CertificatesController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Anyone can check a certificate number: it says which programme, where and when, and nothing
   * about who (no seller id, name, identifiers or contact).
   */
  @Get('certificates/:number')
  @Public()
  async verify(@Param() { number }: CertificateParams) {
    const [certificate] = await this.dataSource.query(
      `SELECT c.number, c.programme_id AS "programmeId", p.name AS "programmeName", i.name AS "institute",
              to_char(co.starts_on, 'YYYY-MM-DD') AS "cohortStartsOn", to_char(co.ends_on, 'YYYY-MM-DD') AS "cohortEndsOn",
              to_char(c.awarded_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS "awardedOn"
         FROM certificates c JOIN cohorts co ON co.id = c.cohort_id JOIN institutes i ON i.id = co.institute_id
         LEFT JOIN programmes p ON p.id = c.programme_id
        WHERE c.number = $1`,
      [number],
    );
    if (!certificate) throw new NotFoundError('TRAINING.CERTIFICATE_NOT_FOUND', `no certificate ${number}`, { number });
    return { valid: true, ...certificate };
  }

  /** A learner's journey: seats, completed modules, certificates. */
  @Get('learners/:sellerId')
  @Roles('reviewer', 'analyst')
  async learner(@Param('sellerId', UuidParam) sellerId: string) {
    const seats = await this.dataSource.query(
      `SELECT cohort_id AS "cohortId", programme_id AS "programmeId", status, enrolled_at AS "enrolledAt", withdraw_reason AS "withdrawReason"
         FROM learners WHERE seller_id = $1::uuid ORDER BY coalesce(enrolled_at, waitlisted_at)`,
      [sellerId],
    );
    const completions = await this.dataSource.query(
      `SELECT cohort_id AS "cohortId", module_code AS "moduleCode", score, completed_at AS "completedAt" FROM module_completions WHERE seller_id = $1::uuid ORDER BY completed_at`,
      [sellerId],
    );
    const certificates = await this.dataSource.query(
      `SELECT number, programme_id AS "programmeId", cohort_id AS "cohortId", awarded_at AS "awardedAt" FROM certificates WHERE seller_id = $1::uuid`,
      [sellerId],
    );
    const [pending] = await this.dataSource.query(`SELECT array_agg(programme_id) AS programmes FROM pending_invitations WHERE seller_id = $1::uuid`, [sellerId]);
    return { sellerId, seats, completions, certificates, awaitingCohortIn: pending?.programmes ?? [] };
  }
}
