import { HttpStatus, Injectable } from '@nestjs/common';
import { CohortScheduled } from '@niryat/contracts';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, DomainError, FieldReason, NotFoundError, OutboxRelayHost } from '@niryat/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { LearnerPlacementService, lockPlacement } from '../learners/learner-placement.service';
import { ModuleProgressService } from '../progress/module-progress.service';
import { AssessmentDto, ScheduleCohortDto, ScheduleSessionDto } from './cohort.dto';

function invalid(fields: FieldReason[]): DomainError {
  return new DomainError('REQUEST.VALIDATION_FAILED', `${fields.length} field(s) failed validation`, HttpStatus.BAD_REQUEST, { fields });
}

interface CohortRow {
  id: string;
  programme_id: string;
  curriculum_id: string;
  institute_id: string;
  state_code: string | null;
  starts_on: string;
  ends_on: string;
  capacity: number;
}

/** Cohorts and what staff do with them: schedule, size, seat, move, withdraw, hold sessions, record attendance and scores. */
@Injectable()
export class CohortsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
    private readonly placement: LearnerPlacementService,
    private readonly progress: ModuleProgressService,
  ) {}

  private async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.relay.nudge();
    return result;
  }

  async load(manager: EntityManager, id: string, lock = false): Promise<CohortRow> {
    const [cohort] = await manager.query(
      `SELECT id, programme_id, curriculum_id, institute_id, state_code, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
              to_char(ends_on, 'YYYY-MM-DD') AS ends_on, capacity FROM cohorts WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!cohort) throw new NotFoundError('TRAINING.COHORT_NOT_FOUND', `cohort ${id} does not exist`, { cohortId: id });
    return cohort;
  }

  schedule(dto: ScheduleCohortDto, actor: string) {
    return this.run(async (manager) => {
      const fields: FieldReason[] = [];
      const [curriculum] = await manager.query(`SELECT id, programme_id FROM curricula WHERE id = $1`, [dto.curriculumId]);
      const [institute] = await manager.query(`SELECT id, state_code FROM institutes WHERE id = $1`, [dto.instituteId]);
      if (!curriculum) fields.push({ field: 'curriculumId', code: 'unknownCurriculum', message: `no curriculum '${dto.curriculumId}'` });
      if (!institute) fields.push({ field: 'instituteId', code: 'unknownInstitute', message: `no institute '${dto.instituteId}'` });
      if (dto.endsOn < dto.startsOn) fields.push({ field: 'endsOn', code: 'endsBeforeStart', message: 'endsOn must not be before startsOn' });
      if (fields.length > 0) throw invalid(fields);
      const id = randomUUID();
      const at = new Date();
      await manager.query(
        `INSERT INTO cohorts (id, programme_id, curriculum_id, institute_id, state_code, starts_on, ends_on, capacity, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, curriculum.programme_id, dto.curriculumId, dto.instituteId, institute.state_code, dto.startsOn, dto.endsOn, dto.capacity, actor],
      );
      await this.outbox.append(manager, [
        outboxEvent(
          CohortScheduled,
          {
            cohortId: id,
            programmeId: curriculum.programme_id,
            instituteId: dto.instituteId,
            ...(institute.state_code ? { stateCode: institute.state_code } : {}),
            startsOn: dto.startsOn,
            endsOn: dto.endsOn,
            capacity: dto.capacity,
            scheduledAt: at.toISOString(),
          },
          { occurredAt: at },
        ),
      ]);
      // Sellers waiting for a cohort of this programme get their invitation now.
      const pending: { seller_id: string }[] = await manager.query(`SELECT seller_id FROM pending_invitations WHERE programme_id = $1`, [curriculum.programme_id]);
      await this.placement.reconcile(manager, pending.map((p) => ({ sellerId: p.seller_id, programmeId: curriculum.programme_id })));
      return this.view(manager, id);
    });
  }

  updateCapacity(id: string, capacity: number) {
    return this.run(async (manager) => {
      await this.load(manager, id, true);
      const [{ enrolled }] = await manager.query(`SELECT count(*)::int AS enrolled FROM learners WHERE cohort_id = $1 AND status = 'enrolled'`, [id]);
      if (capacity < enrolled) {
        throw invalid([{ field: 'capacity', code: 'capacityBelowEnrolled', message: `capacity ${capacity} is below the ${enrolled} learners enrolled` }]);
      }
      await manager.query(`UPDATE cohorts SET capacity = $2 WHERE id = $1`, [id, capacity]);
      await this.placement.promoteWaitlist(manager, id);
      return this.view(manager, id);
    });
  }

  enrol(id: string, sellerId: string, actor: string) {
    return this.run(async (manager) => {
      // Same lock order as the consumer's placement: the seller's placement first, then the cohort.
      await lockPlacement(manager, sellerId, (await this.load(manager, id)).programme_id);
      const cohort = await this.load(manager, id, true);
      const [seller] = await manager.query(`SELECT state_code, status FROM sellers WHERE seller_id = $1`, [sellerId]);
      if (!seller || seller.status !== 'approved') {
        throw new ConflictError('TRAINING.SELLER_NOT_APPROVED', `seller ${sellerId} is ${seller?.status ?? 'unknown here'}: only approved sellers train`, {
          currentState: seller?.status ?? null,
        });
      }
      const [active] = await manager.query(
        `SELECT cohort_id, status FROM learners WHERE seller_id = $1 AND programme_id = $2 AND status IN ('enrolled', 'waitlisted')`,
        [sellerId, cohort.programme_id],
      );
      if (active) {
        throw new ConflictError('TRAINING.ALREADY_IN_COHORT', `seller ${sellerId} is already ${active.status} in cohort ${active.cohort_id}; move them instead`, {
          cohortId: active.cohort_id,
        });
      }
      const [{ enrolled }] = await manager.query(`SELECT count(*)::int AS enrolled FROM learners WHERE cohort_id = $1 AND status = 'enrolled'`, [id]);
      const event = await this.placement.seat(
        manager,
        { cohort_id: id, seller_id: sellerId, programme_id: cohort.programme_id, state_code: seller.state_code },
        enrolled < cohort.capacity ? 'enrol' : 'waitlist',
        actor,
      );
      await manager.query(`DELETE FROM pending_invitations WHERE seller_id = $1 AND programme_id = $2`, [sellerId, cohort.programme_id]);
      await this.outbox.append(manager, [event]);
      return this.view(manager, id);
    });
  }

  move(id: string, sellerId: string, toCohortId: string, actor: string) {
    return this.run(async (manager) => {
      const from = await this.load(manager, id, true);
      const to = await this.load(manager, toCohortId, true);
      if (to.programme_id !== from.programme_id) {
        throw invalid([{ field: 'toCohortId', code: 'otherProgramme', message: `cohort ${toCohortId} teaches ${to.programme_id}, not ${from.programme_id}` }]);
      }
      const [{ enrolled }] = await manager.query(`SELECT count(*)::int AS enrolled FROM learners WHERE cohort_id = $1 AND status = 'enrolled'`, [toCohortId]);
      if (enrolled >= to.capacity) throw new ConflictError('TRAINING.COHORT_FULL', `cohort ${toCohortId} is full (${to.capacity})`, { cohortId: toCohortId });
      const moved = await this.placement.withdraw(manager, sellerId, from.programme_id, `moved to cohort ${toCohortId}`, actor, id);
      if (moved === 0) throw new NotFoundError('TRAINING.LEARNER_NOT_FOUND', `seller ${sellerId} is not in cohort ${id}`, { sellerId, cohortId: id });
      const [seller] = await manager.query(`SELECT state_code FROM sellers WHERE seller_id = $1`, [sellerId]);
      await this.outbox.append(manager, [
        await this.placement.seat(manager, { cohort_id: toCohortId, seller_id: sellerId, programme_id: to.programme_id, state_code: seller.state_code }, 'enrol', actor),
      ]);
      return this.view(manager, toCohortId);
    });
  }

  withdraw(id: string, sellerId: string, reason: string, actor: string) {
    return this.run(async (manager) => {
      const cohort = await this.load(manager, id, true);
      const withdrawn = await this.placement.withdraw(manager, sellerId, cohort.programme_id, reason, actor, id);
      if (withdrawn === 0) throw new NotFoundError('TRAINING.LEARNER_NOT_FOUND', `seller ${sellerId} is not in cohort ${id}`, { sellerId, cohortId: id });
      return this.view(manager, id);
    });
  }

  scheduleSession(id: string, dto: ScheduleSessionDto, actor: string) {
    return this.run(async (manager) => {
      const cohort = await this.load(manager, id);
      const { modules } = await this.progress.cohortModules(manager, id);
      const fields: FieldReason[] = [];
      if (!modules.some((m) => m.code === dto.moduleCode)) {
        fields.push({ field: 'moduleCode', code: 'unknownModule', message: `module ${dto.moduleCode} is not in curriculum ${cohort.curriculum_id}` });
      }
      if (dto.heldOn < cohort.starts_on || dto.heldOn > cohort.ends_on) {
        fields.push({ field: 'heldOn', code: 'outsideCohortDates', message: `the cohort runs from ${cohort.starts_on} to ${cohort.ends_on}` });
      }
      if (fields.length > 0) throw invalid(fields);
      const sessionId = randomUUID();
      await manager.query(`INSERT INTO sessions (id, cohort_id, module_code, held_on, created_by) VALUES ($1, $2, $3, $4, $5)`, [
        sessionId,
        id,
        dto.moduleCode,
        dto.heldOn,
        actor,
      ]);
      return { id: sessionId, cohortId: id, moduleCode: dto.moduleCode, heldOn: dto.heldOn };
    });
  }

  recordAttendance(id: string, sessionId: string, sellerIds: string[], actor: string) {
    return this.run(async (manager) => {
      await this.load(manager, id);
      const [session] = await manager.query(`SELECT module_code FROM sessions WHERE id = $1 AND cohort_id = $2`, [sessionId, id]);
      if (!session) throw new NotFoundError('TRAINING.SESSION_NOT_FOUND', `session ${sessionId} is not a session of cohort ${id}`, { sessionId });
      const fields = await this.progress.notEnrolled(manager, id, sellerIds, (i) => `sellerIds[${i}]`);
      if (fields.length > 0) throw invalid(fields);
      await manager.query(
        `INSERT INTO attendance (session_id, seller_id, recorded_by) SELECT $1, s, $3 FROM unnest($2::uuid[]) AS s ON CONFLICT DO NOTHING`,
        [sessionId, sellerIds, actor],
      );
      await this.progress.evaluate(manager, id, sellerIds, session.module_code);
      return { sessionId, present: sellerIds.length };
    });
  }

  recordAssessment(id: string, dto: AssessmentDto, actor: string) {
    return this.run(async (manager) => {
      await this.load(manager, id);
      const { modules } = await this.progress.cohortModules(manager, id);
      const module = modules.find((m) => m.code === dto.moduleCode);
      const fields = await this.progress.notEnrolled(manager, id, [dto.sellerId], () => 'sellerId');
      if (!module) fields.push({ field: 'moduleCode', code: 'unknownModule', message: `module ${dto.moduleCode} is not taught in this cohort` });
      else if (module.passMark === undefined) fields.push({ field: 'moduleCode', code: 'notAssessed', message: `module ${dto.moduleCode} has no assessment` });
      if (fields.length > 0) throw invalid(fields);
      await manager.query(
        `INSERT INTO assessments (cohort_id, seller_id, module_code, score, recorded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (cohort_id, seller_id, module_code) DO UPDATE SET score = GREATEST(assessments.score, $4), recorded_by = $5, recorded_at = now()`,
        [id, dto.sellerId, dto.moduleCode, dto.score, actor],
      );
      await this.progress.evaluate(manager, id, [dto.sellerId], dto.moduleCode);
      return { sellerId: dto.sellerId, moduleCode: dto.moduleCode, score: dto.score, passMark: module?.passMark };
    });
  }

  get(id: string) {
    return this.view(this.dataSource.manager, id);
  }

  async list(programmeId?: string) {
    return this.dataSource.query(
      `SELECT c.id, c.programme_id AS "programmeId", c.curriculum_id AS "curriculumId", c.institute_id AS "instituteId", c.state_code AS "stateCode",
              to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn", c.capacity,
              count(*) FILTER (WHERE l.status = 'enrolled')::int AS enrolled, count(*) FILTER (WHERE l.status = 'waitlisted')::int AS waitlisted
         FROM cohorts c LEFT JOIN learners l ON l.cohort_id = c.id
        WHERE ($1::text IS NULL OR c.programme_id = $1) GROUP BY c.id ORDER BY c.starts_on, c.id`,
      [programmeId ?? null],
    );
  }

  async view(manager: EntityManager, id: string) {
    const cohort = await this.load(manager, id);
    const learners = await manager.query(
      `SELECT seller_id AS "sellerId", status, enrolled_by AS "enrolledBy", enrolled_at AS "enrolledAt", waitlisted_at AS "waitlistedAt",
              withdrawn_at AS "withdrawnAt", withdraw_reason AS "withdrawReason"
         FROM learners WHERE cohort_id = $1 ORDER BY status, coalesce(enrolled_at, waitlisted_at), seller_id`,
      [id],
    );
    const sessions = await manager.query(
      `SELECT id, module_code AS "moduleCode", to_char(held_on, 'YYYY-MM-DD') AS "heldOn" FROM sessions WHERE cohort_id = $1 ORDER BY held_on, id`,
      [id],
    );
    const enrolled = learners.filter((l: { status: string }) => l.status === 'enrolled').length;
    return {
      id: cohort.id,
      programmeId: cohort.programme_id,
      curriculumId: cohort.curriculum_id,
      instituteId: cohort.institute_id,
      stateCode: cohort.state_code,
      startsOn: cohort.starts_on,
      endsOn: cohort.ends_on,
      capacity: cohort.capacity,
      enrolled,
      waitlist: learners.filter((l: { status: string }) => l.status === 'waitlisted').map((l: { sellerId: string }) => l.sellerId),
      learners,
      sessions,
    };
  }
}
