import { Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { OutboxRelayHost } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { loadVisibleSeller } from './seller-access';
import { SellerChangesService, SellerChangeView } from './seller-changes.service';
import { SellerProfileService } from './seller-profile.service';

/**
 * A reviewer's decision on a pending change. Approving applies it through the same rules as any
 * profile update, checked again against the seller as it is now (a GSTIN another seller took
 * meanwhile is a 409, and the change stays pending); rejecting needs a reason.
 */
@Injectable()
export class SellerChangeReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profile: SellerProfileService,
    private readonly changes: SellerChangesService,
    private readonly relay: OutboxRelayHost,
  ) {}

  async approve(sellerId: string, changeId: string, principal: Principal, now = new Date()): Promise<SellerChangeView> {
    const decided = await this.dataSource.transaction(async (manager) => {
      const seller = await loadVisibleSeller(manager, sellerId, principal, true);
      const { fields, changes } = await this.changes.pendingForDecision(manager, sellerId, changeId);
      await this.profile.apply(manager, seller, changes, principal.id, now);
      return this.changes.decide(manager, seller, changeId, fields, { status: 'approved' }, principal.id, now);
    });
    this.relay.relay.nudge();
    return decided;
  }

  async reject(sellerId: string, changeId: string, reason: string, principal: Principal, now = new Date()): Promise<SellerChangeView> {
    const decided = await this.dataSource.transaction(async (manager) => {
      const seller = await loadVisibleSeller(manager, sellerId, principal, true);
      const { fields } = await this.changes.pendingForDecision(manager, sellerId, changeId);
      return this.changes.decide(manager, seller, changeId, fields, { status: 'rejected', reason }, principal.id, now);
    });
    this.relay.relay.nudge();
    return decided;
  }
}
