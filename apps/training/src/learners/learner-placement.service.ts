import { Injectable } from '@nestjs/common';
import { LearnerEnrolled, LearnerWaitlisted, LearnerWithdrawn } from '@niryat/contracts';
import { OutboxEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { indianCalendarDate } from '@niryat/india';
import { EntityManager } from 'typeorm';
import { CohortSlot, placeLearner } from '../rules/cohort-placement';

export const SYSTEM_ACTOR = 'system';

/** Serialises every placement of one seller in one programme (consumer and staff alike). */
export async function lockPlacement(manager: EntityManager, sellerId: string, programmeId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`placement:${sellerId}:${programmeId}`]);
}

export interface SellerProgramme {
  sellerId: string;
  programmeId: string;
}

interface LearnerRow {
  cohort_id: string;
  seller_id: string;
  programme_id: string;
  state_code: string;
}

/**
 * Who sits in which cohort. Invitations follow from onboarding's facts (an approved seller
 * enrolled in a programme that trains), placement follows the rules in rules/cohort-placement.ts,
 * and every seat change is an event. All of it runs inside the caller's transaction.
 */
@Injectable()
export class LearnerPlacementService {
  constructor(private readonly outbox: OutboxWriter) {}

  /**
   * Invites every given seller that should be in a cohort of the programme and is not: into a
   * cohort with room, onto a waitlist, or, with no cohort scheduled yet, a pending invitation.
   */
  async reconcile(manager: EntityManager, pairs: readonly SellerProgramme[], by = SYSTEM_ACTOR): Promise<void> {
    const unique = [...new Map(pairs.map((p) => [`${p.sellerId}|${p.programmeId}`, p])).values()];
    if (unique.length === 0) return;
    const due: { seller_id: string; programme_id: string; state_code: string }[] = await manager.query(
      `SELECT e.seller_id, e.programme_id, s.state_code
         FROM programme_enrolments e
         JOIN unnest($1::uuid[], $2::text[]) AS k(s, p) ON e.seller_id = k.s AND e.programme_id = k.p
         JOIN sellers s ON s.seller_id = e.seller_id AND s.status = 'approved'
         JOIN programmes p ON p.id = e.programme_id AND p.kind IN ('training', 'both')
        WHERE e.status = 'enrolled'
          AND NOT EXISTS (SELECT 1 FROM learners l WHERE l.seller_id = e.seller_id AND l.programme_id = e.programme_id AND l.status IN ('enrolled', 'waitlisted'))
          AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.seller_id = e.seller_id AND c.programme_id = e.programme_id)
        ORDER BY e.updated_at, e.seller_id`,
      [unique.map((p) => p.sellerId), unique.map((p) => p.programmeId)],
    );
    const events: OutboxEvent[] = [];
    for (const seller of due) {
      // One placement at a time per seller and programme (the consumer and staff may both try), and
      // per programme's seats: the cohort rows are locked while they are counted.
      await lockPlacement(manager, seller.seller_id, seller.programme_id);
      const [{ seated }] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM learners WHERE seller_id = $1 AND programme_id = $2 AND status IN ('enrolled', 'waitlisted')) AS seated`,
        [seller.seller_id, seller.programme_id],
      );
      if (seated) continue;
      const slots = await this.slots(manager, seller.programme_id);
      const placement = placeLearner({ sellerState: seller.state_code, programmeId: seller.programme_id, cohorts: slots, today: indianCalendarDate(new Date()) });
      if (placement.kind === 'none') {
        await manager.query(`INSERT INTO pending_invitations (seller_id, programme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          seller.seller_id,
          seller.programme_id,
        ]);
        continue;
      }
      await manager.query(`DELETE FROM pending_invitations WHERE seller_id = $1 AND programme_id = $2`, [seller.seller_id, seller.programme_id]);
      events.push(await this.seat(manager, { cohort_id: placement.cohortId, seller_id: seller.seller_id, programme_id: seller.programme_id, state_code: seller.state_code }, placement.kind, by));
    }
    await this.outbox.append(manager, events);
  }

  /** Puts a learner in a cohort (enrolled or waitlisted), reusing the row of an earlier stay. */
  async seat(manager: EntityManager, learner: LearnerRow, kind: 'enrol' | 'waitlist', by: string): Promise<OutboxEvent> {
    const at = new Date();
    await manager.query(
      `INSERT INTO learners (cohort_id, seller_id, programme_id, status, enrolled_at, waitlisted_at, enrolled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (cohort_id, seller_id) DO UPDATE
         SET status = $4, enrolled_at = $5, waitlisted_at = $6, enrolled_by = $7, withdrawn_at = NULL, withdrawn_by = NULL, withdraw_reason = NULL`,
      [learner.cohort_id, learner.seller_id, learner.programme_id, kind === 'enrol' ? 'enrolled' : 'waitlisted', kind === 'enrol' ? at : null, kind === 'waitlist' ? at : null, by],
    );
    const facts = { sellerId: learner.seller_id, cohortId: learner.cohort_id, programmeId: learner.programme_id, stateCode: learner.state_code, by };
    if (kind === 'enrol') return outboxEvent(LearnerEnrolled, { ...facts, enrolledAt: at.toISOString() }, { occurredAt: at });
    const [{ position }] = await manager.query(
      `SELECT count(*)::int AS position FROM learners WHERE cohort_id = $1 AND status = 'waitlisted' AND waitlisted_at <= $2`,
      [learner.cohort_id, at],
    );
    return outboxEvent(LearnerWaitlisted, { ...facts, position, waitlistedAt: at.toISOString() }, { occurredAt: at });
  }

  /** Withdraws the seller's active seats (in one programme, or all), then gives the freed seats to waitlists. */
  async withdraw(manager: EntityManager, sellerId: string, programmeId: string | null, reason: string, by: string, cohortId?: string): Promise<number> {
    const at = new Date();
    const withdrawn: (LearnerRow & { was: string })[] = await manager.query(
      `WITH previous AS (
         SELECT cohort_id, seller_id, status AS was FROM learners
          WHERE seller_id = $1 AND ($2::text IS NULL OR programme_id = $2) AND ($6::uuid IS NULL OR cohort_id = $6)
            AND status IN ('enrolled', 'waitlisted') FOR UPDATE)
       UPDATE learners l SET status = 'withdrawn', withdrawn_at = $3, withdrawn_by = $4, withdraw_reason = $5
         FROM previous p, sellers s
        WHERE l.cohort_id = p.cohort_id AND l.seller_id = p.seller_id AND s.seller_id = l.seller_id
       RETURNING l.cohort_id, l.seller_id, l.programme_id, s.state_code, p.was`,
      [sellerId, programmeId, at, by, reason, cohortId ?? null],
    );
    await manager.query(`DELETE FROM pending_invitations WHERE seller_id = $1 AND ($2::text IS NULL OR programme_id = $2)`, [sellerId, programmeId]);
    const rows = (withdrawn as unknown as [typeof withdrawn, number])[0] ?? [];
    await this.outbox.append(
      manager,
      rows.map((r) =>
        outboxEvent(
          LearnerWithdrawn,
          { sellerId: r.seller_id, cohortId: r.cohort_id, programmeId: r.programme_id, stateCode: r.state_code, by, reason, withdrawnAt: at.toISOString() },
          { occurredAt: at },
        ),
      ),
    );
    for (const cohort of new Set(rows.filter((r) => r.was === 'enrolled').map((r) => r.cohort_id))) await this.promoteWaitlist(manager, cohort);
    return rows.length;
  }

  /** Fills free seats of a cohort from its waitlist, first come first served. */
  async promoteWaitlist(manager: EntityManager, cohortId: string): Promise<void> {
    const promoted: LearnerRow[] = await manager.query(
      `WITH cohort AS (SELECT capacity FROM cohorts WHERE id = $1 FOR UPDATE),
            seats AS (SELECT (SELECT capacity FROM cohort) - count(*) AS free FROM learners WHERE cohort_id = $1 AND status = 'enrolled'),
            next AS (SELECT seller_id FROM learners WHERE cohort_id = $1 AND status = 'waitlisted'
                      ORDER BY waitlisted_at, seller_id LIMIT GREATEST((SELECT free FROM seats), 0))
       SELECT l.cohort_id, l.seller_id, l.programme_id, s.state_code
         FROM learners l JOIN next n ON n.seller_id = l.seller_id JOIN sellers s ON s.seller_id = l.seller_id
        WHERE l.cohort_id = $1`,
      [cohortId],
    );
    const events: OutboxEvent[] = [];
    for (const learner of promoted) events.push(await this.seat(manager, learner, 'enrol', SYSTEM_ACTOR));
    await this.outbox.append(manager, events);
  }

  /** Cohorts of a programme with their seat counts, for placement. */
  async slots(manager: EntityManager, programmeId: string): Promise<CohortSlot[]> {
    const rows: { id: string; programme_id: string; institute_id: string; state_code: string | null; starts_on: string; ends_on: string; capacity: number; enrolled: number; waitlisted: number }[] =
      await manager.query(
        `SELECT c.id, c.programme_id, c.institute_id, c.state_code, to_char(c.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(c.ends_on, 'YYYY-MM-DD') AS ends_on, c.capacity,
                count(*) FILTER (WHERE l.status = 'enrolled')::int AS enrolled, count(*) FILTER (WHERE l.status = 'waitlisted')::int AS waitlisted
           FROM cohorts c LEFT JOIN learners l ON l.cohort_id = c.id
          WHERE c.programme_id = $1 AND c.id IN (SELECT id FROM cohorts WHERE programme_id = $1 ORDER BY id FOR UPDATE)
          GROUP BY c.id ORDER BY c.starts_on, c.id`,
        [programmeId],
      );
    return rows.map((r) => ({
      cohortId: r.id,
      programmeId: r.programme_id,
      instituteId: r.institute_id,
      stateCode: r.state_code ?? undefined,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      capacity: r.capacity,
      enrolled: r.enrolled,
      waitlisted: r.waitlisted,
    }));
  }
}
