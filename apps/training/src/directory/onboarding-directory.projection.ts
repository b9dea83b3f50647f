import { Injectable } from '@nestjs/common';
import {
  ProgrammeDefined,
  ProgrammeSnapshotV1,
  ProgrammeUpdated,
  SellerApproved,
  SellerEnrolled,
  SellerEnrolledV1,
  SellerProfileChanged,
  SellerProfileChangedV1,
  SellerRegistered,
  SellerReinstated,
  SellerRejected,
  SellerSuspended,
  SellerWithdrawn,
  SellerWithdrawnV1,
} from '@niryat/contracts';
import { InboundEvent } from '@niryat/messaging';
import { EntityManager } from 'typeorm';
import { LearnerPlacementService, SellerProgramme, SYSTEM_ACTOR } from '../learners/learner-placement.service';

export const ONBOARDING_EVENTS = [
  ProgrammeDefined,
  ProgrammeUpdated,
  SellerRegistered,
  SellerApproved,
  SellerRejected,
  SellerSuspended,
  SellerReinstated,
  SellerProfileChanged,
  SellerEnrolled,
  SellerWithdrawn,
];

/**
 * Onboarding's facts as training needs them, and the invitations and withdrawals they imply.
 * Programme events (their own topic) and seller events may arrive in either order: a seller
 * enrolled before its programme is known is invited once the programme arrives. Applying an event
 * again changes nothing (upserts, versions, and "already seated" checks).
 */
@Injectable()
export class OnboardingDirectoryProjection {
  constructor(private readonly placement: LearnerPlacementService) {}

  async apply(events: InboundEvent[], manager: EntityManager): Promise<void> {
    const toInvite: SellerProgramme[] = [];
    for (const event of events) {
      const type = event.definition.type;
      const payload = event.payload as Record<string, unknown> & { sellerId: string };
      if (type === ProgrammeDefined.type || type === ProgrammeUpdated.type) {
        const p = event.payload as ProgrammeSnapshotV1;
        await manager.query(
          `INSERT INTO programmes (id, name, kind, version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET name = $2, kind = $3, version = $4, updated_at = now() WHERE programmes.version < $4`,
          [p.programmeId, p.name, p.kind, p.version],
        );
        const waiting: { seller_id: string }[] = await manager.query(
          `SELECT seller_id FROM programme_enrolments WHERE programme_id = $1 AND status = 'enrolled'`,
          [p.programmeId],
        );
        toInvite.push(...waiting.map((w) => ({ sellerId: w.seller_id, programmeId: p.programmeId })));
      } else if (type === SellerRegistered.type || type === SellerApproved.type) {
        await manager.query(
          `INSERT INTO sellers (seller_id, state_code, status) VALUES ($1, $2, $3)
           ON CONFLICT (seller_id) DO UPDATE SET state_code = $2, status = $3, updated_at = now()`,
          [payload.sellerId, payload.stateCode, type === SellerApproved.type ? 'approved' : 'submitted'],
        );
        if (type === SellerApproved.type) toInvite.push(...(await this.enrolmentsOf(manager, payload.sellerId)));
      } else if (type === SellerSuspended.type || type === SellerRejected.type) {
        const status = type === SellerSuspended.type ? 'suspended' : 'rejected';
        await manager.query(`UPDATE sellers SET status = $2, updated_at = now() WHERE seller_id = $1`, [payload.sellerId, status]);
        await this.placement.withdraw(manager, payload.sellerId, null, `seller ${status} in onboarding`, SYSTEM_ACTOR);
      } else if (type === SellerReinstated.type) {
        await manager.query(`UPDATE sellers SET status = 'approved', updated_at = now() WHERE seller_id = $1`, [payload.sellerId]);
        toInvite.push(...(await this.enrolmentsOf(manager, payload.sellerId)));
      } else if (type === SellerProfileChanged.type) {
        const p = event.payload as SellerProfileChangedV1;
        await manager.query(`UPDATE sellers SET state_code = $2, updated_at = now() WHERE seller_id = $1`, [p.sellerId, p.stateCode]);
      } else if (type === SellerEnrolled.type) {
        const p = event.payload as SellerEnrolledV1;
        await manager.query(
          `INSERT INTO programme_enrolments (seller_id, programme_id, status) VALUES ($1, $2, 'enrolled')
           ON CONFLICT (seller_id, programme_id) DO UPDATE SET status = 'enrolled', updated_at = now()`,
          [p.sellerId, p.programmeId],
        );
        toInvite.push({ sellerId: p.sellerId, programmeId: p.programmeId });
      } else if (type === SellerWithdrawn.type) {
        const p = event.payload as SellerWithdrawnV1;
        await manager.query(
          `INSERT INTO programme_enrolments (seller_id, programme_id, status) VALUES ($1, $2, 'withdrawn')
           ON CONFLICT (seller_id, programme_id) DO UPDATE SET status = 'withdrawn', updated_at = now()`,
          [p.sellerId, p.programmeId],
        );
        await this.placement.withdraw(manager, p.sellerId, p.programmeId, `withdrawn from ${p.programmeId} in onboarding`, SYSTEM_ACTOR);
      }
    }
    await this.placement.reconcile(manager, toInvite);
  }

  private async enrolmentsOf(manager: EntityManager, sellerId: string): Promise<SellerProgramme[]> {
    const rows: { programme_id: string }[] = await manager.query(
      `SELECT programme_id FROM programme_enrolments WHERE seller_id = $1 AND status = 'enrolled'`,
      [sellerId],
    );
    return rows.map((r) => ({ sellerId, programmeId: r.programme_id }));
  }
}
