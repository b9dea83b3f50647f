import { Injectable } from '@nestjs/common';
import {
  MarketplaceAccountLinked,
  MarketplaceAccountLinkedV1,
  MarketplaceAccountUnlinked,
  MarketplaceAccountUnlinkedV1,
  SellerApproved,
  SellerApprovedV1,
  SellerEnrolled,
  SellerEnrolledV1,
  SellerProfileChanged,
  SellerProfileChangedV1,
  SellerRegistered,
  SellerRegisteredV1,
  SellerReinstated,
  SellerRejected,
  SellerSuspended,
  SellerWithdrawn,
  SellerWithdrawnV1,
} from '@niryat/contracts';
import { HandlerOutcome, InboundEvent } from '@niryat/messaging';
import { EntityManager } from 'typeorm';
import { indianCalendarDate } from '@niryat/india';
import { lockAccounts, OrderIntake } from '../orders/order-intake';
import { EnrolmentPeriod, withEnrolment, withWithdrawal } from './enrolment-periods';

export const DIRECTORY_EVENTS = [
  SellerRegistered,
  SellerApproved,
  SellerRejected,
  SellerSuspended,
  SellerReinstated,
  SellerProfileChanged,
  SellerEnrolled,
  SellerWithdrawn,
  MarketplaceAccountLinked,
  MarketplaceAccountUnlinked,
];

const STATUS_BY_TYPE = new Map([
  [SellerRejected.type, 'rejected'],
  [SellerSuspended.type, 'suspended'],
  [SellerReinstated.type, 'approved'],
]);

/**
 * What exports needs to know of onboarding: each seller's state, district, category, status and
 * enrolment periods (an export counts in the programmes of its shipment day), and which seller holds which marketplace account
 * (to resolve partner events). A newly linked account releases the events parked for it, in the
 * same transaction. Onboarding events are few; they are applied one by one, in order.
 */
@Injectable()
export class SellerDirectoryProjection {
  constructor(private readonly intake: OrderIntake) {}

  async apply(events: InboundEvent[], manager: EntityManager): Promise<HandlerOutcome> {
    const linked: { marketplace: string; accountId: string }[] = [];
    for (const event of events) {
      const type = event.definition.type;
      if (type === SellerRegistered.type || type === SellerApproved.type) {
        const p = event.payload as SellerRegisteredV1 | SellerApprovedV1;
        await manager.query(
          `INSERT INTO seller_directory (seller_id, state_code, district, classification, status)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (seller_id) DO UPDATE SET state_code = $2, district = $3, classification = $4, status = $5, updated_at = now()`,
          [p.sellerId, p.stateCode, p.district, p.classification, type === SellerApproved.type ? 'approved' : 'submitted'],
        );
      } else if (STATUS_BY_TYPE.has(type)) {
        await manager.query(`UPDATE seller_directory SET status = $2, updated_at = now() WHERE seller_id = $1`, [
          (event.payload as { sellerId: string }).sellerId,
          STATUS_BY_TYPE.get(type),
        ]);
      } else if (type === SellerProfileChanged.type) {
        const p = event.payload as SellerProfileChangedV1;
        await manager.query(`UPDATE seller_directory SET state_code = $2, district = $3, classification = $4, updated_at = now() WHERE seller_id = $1`, [
          p.sellerId,
          p.stateCode,
          p.district,
          p.classification,
        ]);
      } else if (type === SellerEnrolled.type || type === SellerWithdrawn.type) {
        const enrolledNow = type === SellerEnrolled.type;
        const p = event.payload as SellerEnrolledV1 | SellerWithdrawnV1;
        const day = enrolledNow
          ? ((p as SellerEnrolledV1).enrolledSince ?? indianCalendarDate(new Date((p as SellerEnrolledV1).enrolledAt)))
          : indianCalendarDate(new Date((p as SellerWithdrawnV1).withdrawnAt));
        const [row]: { enrolments: EnrolmentPeriod[] }[] = await manager.query(`SELECT enrolments FROM seller_directory WHERE seller_id = $1`, [p.sellerId]);
        if (!row) continue;
        const enrolments = enrolledNow ? withEnrolment(row.enrolments, p.programmeId, day) : withWithdrawal(row.enrolments, p.programmeId, day);
        await manager.query(
          `UPDATE seller_directory SET enrolments = $3::jsonb,
             programmes = ${enrolledNow ? 'array_append(array_remove(programmes, $2), $2)' : 'array_remove(programmes, $2)'}, updated_at = now()
           WHERE seller_id = $1`,
          [p.sellerId, p.programmeId, JSON.stringify(enrolments)],
        );
      } else if (type === MarketplaceAccountLinked.type) {
        const p = event.payload as MarketplaceAccountLinkedV1;
        await lockAccounts(manager, [`${p.marketplace}:${p.accountId}`], 'exclusive');
        await manager.query(
          `INSERT INTO marketplace_accounts (marketplace, account_id, seller_id, linked_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (marketplace, account_id) DO UPDATE SET seller_id = $3, linked_at = $4`,
          [p.marketplace, p.accountId, p.sellerId, p.linkedAt],
        );
        linked.push({ marketplace: p.marketplace, accountId: p.accountId });
      } else if (type === MarketplaceAccountUnlinked.type) {
        const p = event.payload as MarketplaceAccountUnlinkedV1;
        await manager.query(`DELETE FROM marketplace_accounts WHERE marketplace = $1 AND account_id = $2 AND seller_id = $3`, [
          p.marketplace,
          p.accountId,
          p.sellerId,
        ]);
      }
    }
    return this.intake.releaseParked(manager, linked);
  }
}
