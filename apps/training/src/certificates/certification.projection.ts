import { Injectable } from '@nestjs/common';
import { CertificationAwarded, ModuleCompletedV1 } from '@niryat/contracts';
import { InboundEvent, OutboxEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { EntityManager } from 'typeorm';
import { certificateNumber, certificateYear, certificationDue } from '../rules/completion';
import { CurriculumModule } from '../rules/curriculum';
import { SYSTEM_ACTOR } from '../learners/learner-placement.service';

/**
 * Awards certificates from ModuleCompleted events: when a learner's completions cover every
 * required module of the cohort's curriculum, one certificate per learner and programme (the
 * table's unique key makes "one" hold even when completions are replayed or arrive together).
 */
@Injectable()
export class CertificationProjection {
  constructor(private readonly outbox: OutboxWriter) {}

  async apply(events: InboundEvent<ModuleCompletedV1>[], manager: EntityManager): Promise<void> {
    const learners = new Map(events.map((e) => [`${e.payload.cohortId}|${e.payload.sellerId}`, e.payload]));
    const awarded: OutboxEvent[] = [];
    for (const learner of learners.values()) {
      const [row] = await manager.query(
        `SELECT cu.id, cu.programme_id, cu.title, cu.modules, array_agg(m.module_code) FILTER (WHERE m.module_code IS NOT NULL) AS completed
           FROM cohorts c JOIN curricula cu ON cu.id = c.curriculum_id
           LEFT JOIN module_completions m ON m.cohort_id = c.id AND m.seller_id = $2
          WHERE c.id = $1 GROUP BY cu.id`,
        [learner.cohortId, learner.sellerId],
      );
      if (!row) continue;
      const curriculum = { id: row.id, programmeId: row.programme_id, title: row.title, modules: row.modules as CurriculumModule[] };
      const due = certificationDue({ curriculum, completedModules: new Set<string>(row.completed ?? []) });
      if (!due.due) continue;
      const at = new Date();
      const year = certificateYear(at);
      const [{ serial }] = await manager.query(
        `INSERT INTO certificate_serials (programme_id, year, last_serial) VALUES ($1, $2, 1)
         ON CONFLICT (programme_id, year) DO UPDATE SET last_serial = certificate_serials.last_serial + 1
         RETURNING last_serial AS serial`,
        [learner.programmeId, year],
      );
      const number = certificateNumber({ programmeId: learner.programmeId, year, serial });
      const inserted: unknown[] = await manager.query(
        `INSERT INTO certificates (number, seller_id, programme_id, cohort_id, state_code, awarded_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (seller_id, programme_id) DO NOTHING RETURNING number`,
        [number, learner.sellerId, learner.programmeId, learner.cohortId, learner.stateCode, at],
      );
      if (inserted.length === 0) continue; // already certified: the serial is simply not used
      awarded.push(
        outboxEvent(
          CertificationAwarded,
          { sellerId: learner.sellerId, cohortId: learner.cohortId, programmeId: learner.programmeId, stateCode: learner.stateCode, by: SYSTEM_ACTOR, certificateNumber: number, awardedAt: at.toISOString() },
          { occurredAt: at },
        ),
      );
    }
    await this.outbox.append(manager, awarded);
  }
}
