import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { SellerApproved, SellerReinstated, SellerRejected, SellerReviewStarted, SellerSuspended } from '@niryat/contracts';
import { OutboxEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, DomainError, OutboxRelayHost } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { loadVisibleSeller } from '../sellers/seller-access';
import { recordHistory } from '../sellers/seller-history';
import { Seller } from '../sellers/seller.entity';
import { decideTransition, ReviewAction } from './seller-workflow';

/** Moves a seller through the review workflow: state, audit entry and event in one transaction. */
@Injectable()
export class SellerReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
  ) {}

  async apply(sellerId: string, action: ReviewAction, reason: string | undefined, principal: Principal): Promise<Seller> {
    const seller = await this.dataSource.transaction(async (manager) => {
      const current = await loadVisibleSeller(manager, sellerId, principal, true);
      const decision = decideTransition(current.status, action, reason);
      if (!decision.ok && decision.problem === 'reason-required') {
        throw new DomainError('REQUEST.VALIDATION_FAILED', `a reason is required to ${action}`, HttpStatus.BAD_REQUEST, {
          fields: [{ field: 'reason', code: 'reasonRequired', message: `a reason is required to ${action}` }],
        });
      }
      if (!decision.ok) {
        throw new ConflictError('ONBOARDING.ILLEGAL_TRANSITION', `seller ${sellerId} is ${decision.current}: cannot ${action}`, {
          currentState: decision.current,
          allowedActions: decision.allowedActions,
        });
      }
      const at = new Date();
      await manager.update(Seller, { id: sellerId }, { status: decision.to, updatedAt: at });
      current.status = decision.to;
      current.updatedAt = at;
      await recordHistory(manager, { sellerId, action, fromStatus: decision.from, toStatus: decision.to, actor: principal.id, reason: reason?.trim() || null });
      await this.outbox.append(manager, [this.event(action, current, reason?.trim(), principal.id, at)]);
      return current;
    });
    this.relay.relay.nudge();
    return seller;
  }

  private event(action: ReviewAction, seller: Seller, reason: string | undefined, actor: string, at: Date): OutboxEvent {
    const base = { sellerId: seller.id, stateCode: seller.stateCode };
    const when = at.toISOString();
    const context = { occurredAt: at };
    switch (action) {
      case 'start-review':
        return outboxEvent(SellerReviewStarted, { ...base, startedAt: when, startedBy: actor }, context);
      case 'approve':
        return outboxEvent(
          SellerApproved,
          { ...base, district: seller.district, classification: seller.classification, programmes: seller.programmesApplied, approvedAt: when, approvedBy: actor },
          context,
        );
      case 'reject':
        return outboxEvent(SellerRejected, { ...base, reason: reason ?? '', rejectedAt: when, rejectedBy: actor }, context);
      case 'suspend':
        return outboxEvent(SellerSuspended, { ...base, reason: reason ?? '', suspendedAt: when, suspendedBy: actor }, context);
      case 'reinstate':
        return outboxEvent(SellerReinstated, { ...base, reason, reinstatedAt: when, reinstatedBy: actor }, context);
    }
  }
}

