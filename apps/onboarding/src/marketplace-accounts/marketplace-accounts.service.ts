import { Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { MarketplaceAccountLinked, MarketplaceAccountUnlinked, type Marketplace } from '@niryat/contracts';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, NotFoundError, OutboxRelayHost } from '@niryat/platform';
import { DataSource, EntityManager } from 'typeorm';
import { loadVisibleSeller } from '../sellers/seller-access';
import { recordHistory } from '../sellers/seller-history';

export interface MarketplaceAccountView {
  marketplace: Marketplace;
  accountId: string;
  sellerId: string;
  linkedAt: Date;
  linkedBy: string;
}

/**
 * Links between a seller and its account ids on partner marketplaces: how partner order events
 * find their seller. An account id belongs to one seller per marketplace.
 */
@Injectable()
export class MarketplaceAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelayHost,
  ) {}

  async link(sellerId: string, marketplace: Marketplace, accountId: string, principal: Principal): Promise<MarketplaceAccountView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const seller = await loadVisibleSeller(manager, sellerId, principal, true);
      if (seller.status === 'rejected') {
        throw new ConflictError('ONBOARDING.SELLER_REJECTED', `seller ${sellerId} was rejected and cannot hold marketplace accounts`, {
          currentState: seller.status,
        });
      }
      const at = new Date();
      const inserted: unknown[] = await manager.query(
        `INSERT INTO marketplace_accounts (marketplace, account_id, seller_id, linked_at, linked_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (marketplace, account_id) DO NOTHING RETURNING account_id`,
        [marketplace, accountId, sellerId, at, principal.id],
      );
      if (inserted.length === 0) {
        const owner = await this.find(manager, marketplace, accountId);
        if (owner?.sellerId === sellerId) {
          throw new ConflictError('ONBOARDING.ACCOUNT_ALREADY_LINKED', `${marketplace} account ${accountId} is already linked to this seller`, {
            marketplace,
            accountId,
          });
        }
        throw new ConflictError('ONBOARDING.ACCOUNT_LINKED_TO_OTHER_SELLER', `${marketplace} account ${accountId} belongs to another seller`, {
          marketplace,
          accountId,
          linkedSellerId: owner?.sellerId,
        });
      }
      await recordHistory(manager, { sellerId, action: 'account-linked', actor: principal.id, details: { marketplace, accountId } });
      await this.outbox.append(manager, [
        outboxEvent(
          MarketplaceAccountLinked,
          { sellerId, marketplace, accountId, stateCode: seller.stateCode, linkedAt: at.toISOString(), linkedBy: principal.id },
          { occurredAt: at },
        ),
      ]);
      return (await this.find(manager, marketplace, accountId)) as MarketplaceAccountView;
    });
    this.relay.relay.nudge();
    return view;
  }

  async unlink(sellerId: string, marketplace: Marketplace, accountId: string, reason: string | undefined, principal: Principal): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const seller = await loadVisibleSeller(manager, sellerId, principal, true);
      const [deleted] = (await manager.query(
        `DELETE FROM marketplace_accounts WHERE marketplace = $1 AND account_id = $2 AND seller_id = $3 RETURNING account_id`,
        [marketplace, accountId, sellerId],
      )) as [unknown[], number];
      if (deleted.length === 0) {
        throw new NotFoundError('ONBOARDING.ACCOUNT_NOT_LINKED', `${marketplace} account ${accountId} is not linked to seller ${sellerId}`, {
          marketplace,
          accountId,
        });
      }
      const at = new Date();
      await recordHistory(manager, { sellerId, action: 'account-unlinked', actor: principal.id, reason, details: { marketplace, accountId } });
      await this.outbox.append(manager, [
        outboxEvent(
          MarketplaceAccountUnlinked,
          { sellerId, marketplace, accountId, stateCode: seller.stateCode, reason, unlinkedAt: at.toISOString(), unlinkedBy: principal.id },
          { occurredAt: at },
        ),
      ]);
    });
    this.relay.relay.nudge();
  }

  async listForSeller(sellerId: string, principal: Principal): Promise<MarketplaceAccountView[]> {
    await loadVisibleSeller(this.dataSource.manager, sellerId, principal);
    const rows = await this.dataSource.query(`${SELECT_ACCOUNT} WHERE seller_id = $1 ORDER BY marketplace, account_id`, [sellerId]);
    // A partner sees its own marketplace's accounts only.
    return rows.map(toView).filter((a: MarketplaceAccountView) => principal.role !== 'partner' || a.marketplace === principal.scope);
  }

  /** Which seller holds this account; partners may look up accounts on their own marketplace only. */
  async lookup(marketplace: Marketplace, accountId: string, principal: Principal): Promise<MarketplaceAccountView> {
    const account = principal.role === 'partner' && principal.scope !== marketplace ? null : await this.find(this.dataSource.manager, marketplace, accountId);
    if (!account) {
      throw new NotFoundError('ONBOARDING.ACCOUNT_NOT_LINKED', `${marketplace} account ${accountId} is not linked to any seller`, { marketplace, accountId });
    }
    return account;
  }

  private async find(manager: EntityManager, marketplace: Marketplace, accountId: string): Promise<MarketplaceAccountView | null> {
    const [row] = await manager.query(`${SELECT_ACCOUNT} WHERE marketplace = $1 AND account_id = $2`, [marketplace, accountId]);
    return row ? toView(row) : null;
  }
}

const SELECT_ACCOUNT = `SELECT marketplace, account_id, seller_id, linked_at, linked_by FROM marketplace_accounts`;

function toView(row: Record<string, unknown>): MarketplaceAccountView {
  return {
    marketplace: row.marketplace as Marketplace,
    accountId: row.account_id as string,
    sellerId: row.seller_id as string,
    linkedAt: row.linked_at as Date,
    linkedBy: row.linked_by as string,
  };
}
