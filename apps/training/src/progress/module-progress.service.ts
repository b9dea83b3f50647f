import { HttpStatus, Injectable } from '@nestjs/common';
import { ModuleCompleted } from '@niryat/contracts';
import { OutboxEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { DomainError, FieldReason } from '@niryat/platform';
import { EntityManager } from 'typeorm';
import { CurriculumModule } from '../rules/curriculum';
import { moduleCompletion } from '../rules/completion';
import { SYSTEM_ACTOR } from '../learners/learner-placement.service';

interface CohortModules {
  programme_id: string;
  modules: CurriculumModule[];
}

/**
 * A learner completes a module by attending it and, where the module is assessed, scoring at
 * least its pass mark; the completion is recorded once and announced once (ModuleCompleted).
 */
@Injectable()
export class ModuleProgressService {
  constructor(private readonly outbox: OutboxWriter) {}

  async cohortModules(manager: EntityManager, cohortId: string): Promise<CohortModules> {
    const [row] = await manager.query(
      `SELECT c.programme_id, cu.modules FROM cohorts c JOIN curricula cu ON cu.id = c.curriculum_id WHERE c.id = $1`,
      [cohortId],
    );
    if (!row) throw new DomainError('TRAINING.COHORT_NOT_FOUND', `cohort ${cohortId} does not exist`, HttpStatus.NOT_FOUND, { cohortId });
    return row;
  }

  /** The sellers that are not enrolled learners of the cohort, as field errors. */
  async notEnrolled(manager: EntityManager, cohortId: string, sellerIds: string[], field: (i: number) => string): Promise<FieldReason[]> {
    const rows: { seller_id: string }[] = await manager.query(
      `SELECT seller_id FROM learners WHERE cohort_id = $1 AND status = 'enrolled' AND seller_id = ANY($2::uuid[])`,
      [cohortId, sellerIds],
    );
    const enrolled = new Set(rows.map((r) => r.seller_id));
    return sellerIds.flatMap((id, i) =>
      enrolled.has(id) ? [] : [{ field: field(i), code: 'notEnrolledInCohort', message: `seller ${id} is not an enrolled learner of cohort ${cohortId}` }],
    );
  }

  /** Records the completions that the learners' attendance and scores now earn, each once. */
  async evaluate(manager: EntityManager, cohortId: string, sellerIds: string[], moduleCode: string): Promise<void> {
    const { programme_id: programmeId, modules } = await this.cohortModules(manager, cohortId);
    const module = modules.find((m) => m.code === moduleCode);
    if (!module || sellerIds.length === 0) return;
    // Attendance and scores of one learner recorded at the same time: the second transaction waits
    // here and then sees the first's rows, so a completion earned by both is never missed.
    await manager.query(`SELECT 1 FROM learners WHERE cohort_id = $1 AND seller_id = ANY($2::uuid[]) ORDER BY seller_id FOR UPDATE`, [cohortId, sellerIds]);
    const rows: { seller_id: string; state_code: string; attended: number; score: number | null; done: boolean }[] = await manager.query(
      `SELECT l.seller_id, s.state_code,
              (SELECT count(*)::int FROM attendance a JOIN sessions se ON se.id = a.session_id
                WHERE se.cohort_id = $1 AND se.module_code = $3 AND a.seller_id = l.seller_id) AS attended,
              (SELECT score FROM assessments x WHERE x.cohort_id = $1 AND x.seller_id = l.seller_id AND x.module_code = $3) AS score,
              EXISTS (SELECT 1 FROM module_completions m WHERE m.cohort_id = $1 AND m.seller_id = l.seller_id AND m.module_code = $3) AS done
         FROM learners l JOIN sellers s ON s.seller_id = l.seller_id
        WHERE l.cohort_id = $1 AND l.seller_id = ANY($2::uuid[]) AND l.status = 'enrolled'`,
      [cohortId, sellerIds, moduleCode],
    );
    const at = new Date();
    const events: OutboxEvent[] = [];
    for (const row of rows) {
      if (row.done || !moduleCompletion({ module, attendedSessions: row.attended, score: row.score ?? undefined }).complete) continue;
      const inserted: unknown[] = await manager.query(
        `INSERT INTO module_completions (cohort_id, seller_id, module_code, score, completed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING module_code`,
        [cohortId, row.seller_id, moduleCode, row.score, at],
      );
      if (inserted.length === 0) continue;
      events.push(
        outboxEvent(
          ModuleCompleted,
          {
            sellerId: row.seller_id,
            cohortId,
            programmeId,
            stateCode: row.state_code,
            by: SYSTEM_ACTOR,
            moduleCode,
            ...(row.score !== null ? { score: row.score } : {}),
            completedAt: at.toISOString(),
          },
          { occurredAt: at },
        ),
      );
    }
    await this.outbox.append(manager, events);
  }
}

