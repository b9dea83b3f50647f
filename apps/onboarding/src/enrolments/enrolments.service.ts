import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { SellerEnrolled, SellerWithdrawn } from '@niryat/contracts';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, DomainError, OutboxRelayHost } from '@niryat/platform';
import { indianCalendarDate } from '@niryat/india';
import { DataSource } from 'typeorm';
import { coversState } from '../programmes/programme.entity';
import { ProgrammesService } from '../programmes/programmes.service';
import { isActive } from '../review/seller-workflow';
import { loadVisibleSeller } from '../sellers/seller-access';
import { recordHistory } from '../sellers/seller-history';

export interface EnrolmentView {
  programmeId: string;
  status: 'enrolled' | 'withdrawn';
  enrolledAt: Date;
  /** The day (in India) the enrolment counts from: `enrolledSince` when a reviewer set one, else the day of `enrolledAt`. */
  enrolledSince: string;
  enrolledBy: string;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}

/** An approved seller enrols in programmes open to its state, and withdraws; both are events. */
@Injectable()
export class EnrolmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly programmes: ProgrammesService,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
  ) {}

  async enrol(sellerId: string, programmeId: string, principal: Principal, enrolledSince?: string): Promise<EnrolmentView> {
    const at = new Date();
    if (enrolledSince !== undefined) checkEnrolledSince(enrolledSince, principal, indianCalendarDate(at));
    const enrolment = await this.dataSource.transaction(async (manager) => {
      const seller = await loadVisibleSeller(manager, sellerId, principal, true);
      if (!isActive(seller.status)) {
        throw new ConflictError('ONBOARDING.SELLER_NOT_APPROVED', `seller ${sellerId} is ${seller.status}; only approved sellers enrol`, {
          currentState: seller.status,
        });
      }
      const programme = await this.programmes.get(programmeId, manager).catch(() => {
        throw new DomainError('REQUEST.VALIDATION_FAILED', `no programme '${programmeId}'`, HttpStatus.BAD_REQUEST, {
          fields: [{ field: 'programmeId', code: 'unknownProgramme', message: `no programme '${programmeId}'` }],
        });
      });
      if (!coversState(programme, seller.stateCode)) {
        throw new ConflictError('ONBOARDING.PROGRAMME_NOT_IN_STATE', `programme ${programmeId} is not open to sellers in state ${seller.stateCode}`, {
          programmeId,
          stateCode: seller.stateCode,
          programmeStates: programme.states,
        });
      }
      if (enrolledSince !== undefined && programme.startsOn !== null && enrolledSince < programme.startsOn) {
        throw fieldError('enrolledSinceBeforeProgramme', `enrolledSince ${enrolledSince} is before programme ${programmeId} starts (${programme.startsOn})`);
      }
      const rows: { programme_id: string }[] = await manager.query(
        `INSERT INTO enrolments (seller_id, programme_id, status, enrolled_at, enrolled_by, enrolled_since)
         VALUES ($1, $2, 'enrolled', $3, $4, $5)
         ON CONFLICT (seller_id, programme_id) DO UPDATE
           SET status = 'enrolled', enrolled_at = $3, enrolled_by = $4, enrolled_since = $5, withdrawn_at = NULL, withdrawn_by = NULL, withdraw_reason = NULL
           WHERE enrolments.status = 'withdrawn'
         RETURNING programme_id`,
        [sellerId, programmeId, at, principal.id, enrolledSince ?? null],
      );
      if (rows.length === 0) {
        throw new ConflictError('ONBOARDING.ALREADY_ENROLLED', `seller ${sellerId} is already enrolled in ${programmeId}`, { programmeId });
      }
      await recordHistory(manager, { sellerId, action: 'enrolled', actor: principal.id, details: { programmeId, ...(enrolledSince ? { enrolledSince } : {}) } });
      await this.outbox.append(manager, [
        outboxEvent(
          SellerEnrolled,
          {
            sellerId,
            programmeId,
            stateCode: seller.stateCode,
            district: seller.district,
            classification: seller.classification,
            enrolledAt: at.toISOString(),
            ...(enrolledSince ? { enrolledSince } : {}),
            enrolledBy: principal.id,
          },
          { occurredAt: at },
        ),
      ]);
      return this.find(manager, sellerId, programmeId);
    });
    this.relay.relay.nudge();
    return enrolment;
  }

  async withdraw(sellerId: string, programmeId: string, reason: string, principal: Principal): Promise<EnrolmentView> {
    const enrolment = await this.dataSource.transaction(async (manager) => {
      const seller = await loadVisibleSeller(manager, sellerId, principal, true);
      const at = new Date();
      const rows: unknown[] = await manager.query(
        `UPDATE enrolments SET status = 'withdrawn', withdrawn_at = $3, withdrawn_by = $4, withdraw_reason = $5
          WHERE seller_id = $1 AND programme_id = $2 AND status = 'enrolled' RETURNING programme_id`,
        [sellerId, programmeId, at, principal.id, reason],
      );
      if ((rows[0] as unknown[]).length === 0) {
        throw new ConflictError('ONBOARDING.NOT_ENROLLED', `seller ${sellerId} is not enrolled in ${programmeId}`, { programmeId });
      }
      await recordHistory(manager, { sellerId, action: 'withdrawn', actor: principal.id, reason, details: { programmeId } });
      await this.outbox.append(manager, [
        outboxEvent(
          SellerWithdrawn,
          {
            sellerId,
            programmeId,
            stateCode: seller.stateCode,
            district: seller.district,
            classification: seller.classification,
            reason,
            withdrawnAt: at.toISOString(),
            withdrawnBy: principal.id,
          },
          { occurredAt: at },
        ),
      ]);
      return this.find(manager, sellerId, programmeId);
    });
    this.relay.relay.nudge();
    return enrolment;
  }

  async list(sellerId: string, principal: Principal): Promise<EnrolmentView[]> {
    await loadVisibleSeller(this.dataSource.manager, sellerId, principal);
    const rows = await this.dataSource.query(`${SELECT_ENROLMENT} WHERE seller_id = $1 ORDER BY enrolled_at`, [sellerId]);
    return rows.map(toView);
  }

  private async find(manager: { query: DataSource['query'] }, sellerId: string, programmeId: string): Promise<EnrolmentView> {
    const [row] = await manager.query(`${SELECT_ENROLMENT} WHERE seller_id = $1 AND programme_id = $2`, [sellerId, programmeId]);
    return toView(row);
  }
}

const SELECT_ENROLMENT = `SELECT programme_id, status, enrolled_at, enrolled_by, withdrawn_at, withdrawn_by, withdraw_reason,
  to_char(coalesce(enrolled_since, (enrolled_at AT TIME ZONE 'Asia/Kolkata')::date), 'YYYY-MM-DD') AS enrolled_since FROM enrolments`;

function fieldError(code: string, message: string): DomainError {
  return new DomainError('REQUEST.VALIDATION_FAILED', message, HttpStatus.BAD_REQUEST, { fields: [{ field: 'enrolledSince', code, message }] });
}

/** A backdated enrolment says which exports count in the programme: a reviewer's word, and never a day to come. */
function checkEnrolledSince(enrolledSince: string, principal: Principal, today: string): void {
  if (principal.role !== 'reviewer' && principal.role !== 'operator') {
    throw new DomainError('ONBOARDING.BACKDATING_NEEDS_REVIEWER', 'only a reviewer may record an enrolment from an earlier day (enrolledSince)', HttpStatus.FORBIDDEN, {
      fields: [{ field: 'enrolledSince', code: 'reviewerOnly', message: 'only a reviewer may set enrolledSince' }],
    });
  }
  if (enrolledSince > today) throw fieldError('enrolledSinceInFuture', `enrolledSince ${enrolledSince} is after today in India (${today})`);
}

function toView(row: Record<string, unknown>): EnrolmentView {
  return {
    programmeId: row.programme_id as string,
    status: row.status as EnrolmentView['status'],
    enrolledAt: row.enrolled_at as Date,
    enrolledSince: row.enrolled_since as string,
    enrolledBy: row.enrolled_by as string,
    withdrawnAt: (row.withdrawn_at as Date | null) ?? null,
    withdrawnBy: (row.withdrawn_by as string | null) ?? null,
    withdrawReason: (row.withdraw_reason as string | null) ?? null,
  };
}
