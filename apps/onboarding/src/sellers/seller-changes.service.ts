import { Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { ReviewedChangeField, SellerChangeApproved, SellerChangeRejected, SellerChangeRequested } from '@niryat/contracts';
import { OutboxWriter, outboxEvent } from '@niryat/messaging';
import { ConflictError, NotFoundError } from '@niryat/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { loadVisibleSeller } from './seller-access';
import { recordHistory } from './seller-history';
import { Seller } from './seller.entity';
import { maskTail } from './seller-view';
import { UpdateSellerProfileDto } from './update-seller-profile.dto';

export type SellerChangeStatus = 'pending' | 'approved' | 'rejected';

/** A change as the API shows it: what was asked (the bank account number masked, as everywhere), and what became of it. */
export interface SellerChangeView {
  id: string;
  status: SellerChangeStatus;
  fields: ReviewedChangeField[];
  changes: UpdateSellerProfileDto;
  requestedAt: Date;
  requestedBy: string;
  decidedAt: Date | null;
  decidedBy: string | null;
  reason: string | null;
}

interface SellerChangeRow {
  id: string;
  status: SellerChangeStatus;
  fields: ReviewedChangeField[];
  changes: UpdateSellerProfileDto;
  requested_at: Date;
  requested_by: string;
  decided_at: Date | null;
  decided_by: string | null;
  reason: string | null;
}

function view(row: SellerChangeRow): SellerChangeView {
  const { bankAccount, ...rest } = row.changes;
  return {
    id: row.id,
    status: row.status,
    fields: row.fields,
    changes: { ...rest, ...(bankAccount ? { bankAccount: { ...bankAccount, accountNumber: maskTail(bankAccount.accountNumber) } } : {}) },
    requestedAt: row.requested_at,
    requestedBy: row.requested_by,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    reason: row.reason,
  };
}

const SELECT = `SELECT id, status, fields, changes, requested_at, requested_by, decided_at, decided_by, reason FROM seller_changes`;

export function changeNotFound(sellerId: string, changeId: string): NotFoundError {
  return new NotFoundError('ONBOARDING.CHANGE_NOT_FOUND', `seller ${sellerId} has no change ${changeId}`, { sellerId, changeId });
}

/**
 * Changes to an approved seller that wait for a reviewer: kept with their values in
 * seller_changes (the events carry only the names of the fields), one pending per seller, each
 * step in the audit trail and on the seller topic.
 */
@Injectable()
export class SellerChangesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Records the change as pending, in the caller's transaction (the seller row locked). A second pending change is a 409. */
  async request(manager: EntityManager, seller: Seller, fields: ReviewedChangeField[], changes: UpdateSellerProfileDto, actor: string, now: Date): Promise<SellerChangeView> {
    const pending = await this.pendingOf(manager, seller.id);
    if (pending) throw pendingConflict(seller.id, pending.id);
    const id = randomUUID();
    try {
      await manager.query(
        `INSERT INTO seller_changes (id, seller_id, status, fields, changes, requested_at, requested_by) VALUES ($1, $2, 'pending', $3, $4, $5, $6)`,
        [id, seller.id, fields, JSON.stringify(changes), now, actor],
      );
    } catch (error) {
      // The unique index on pending changes: another request won a race the lock did not cover.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') throw pendingConflict(seller.id, null);
      throw error;
    }
    await recordHistory(manager, { sellerId: seller.id, action: 'change-requested', actor, details: { changeId: id, fields } });
    await this.outbox.append(manager, [
      outboxEvent(
        SellerChangeRequested,
        { sellerId: seller.id, changeId: id, stateCode: seller.stateCode, fields, requestedAt: now.toISOString(), requestedBy: actor },
        { occurredAt: now },
      ),
    ]);
    return view((await this.find(manager, seller.id, id)) as SellerChangeRow);
  }

  /** The pending change with its values (not masked: it is about to be applied), or a 404 / 409 naming what it is. */
  async pendingForDecision(manager: EntityManager, sellerId: string, changeId: string): Promise<{ fields: ReviewedChangeField[]; changes: UpdateSellerProfileDto }> {
    const row = await this.find(manager, sellerId, changeId, true);
    if (!row) throw changeNotFound(sellerId, changeId);
    if (row.status !== 'pending') {
      throw new ConflictError('ONBOARDING.CHANGE_DECIDED', `change ${changeId} was ${row.status} already`, { changeId, currentState: row.status });
    }
    return { fields: row.fields, changes: row.changes };
  }

  /** Marks the pending change approved or rejected, with the audit trail and the event. */
  async decide(
    manager: EntityManager,
    seller: Seller,
    changeId: string,
    fields: ReviewedChangeField[],
    decision: { status: 'approved' } | { status: 'rejected'; reason: string },
    actor: string,
    now: Date,
  ): Promise<SellerChangeView> {
    const reason = decision.status === 'rejected' ? decision.reason : null;
    await manager.query(`UPDATE seller_changes SET status = $2, decided_at = $3, decided_by = $4, reason = $5 WHERE id = $1`, [changeId, decision.status, now, actor, reason]);
    await recordHistory(manager, { sellerId: seller.id, action: `change-${decision.status}`, actor, reason, details: { changeId, fields } });
    const facts = { sellerId: seller.id, changeId, stateCode: seller.stateCode, fields };
    await this.outbox.append(manager, [
      decision.status === 'approved'
        ? outboxEvent(SellerChangeApproved, { ...facts, approvedAt: now.toISOString(), approvedBy: actor }, { occurredAt: now })
        : outboxEvent(SellerChangeRejected, { ...facts, reason: decision.reason, rejectedAt: now.toISOString(), rejectedBy: actor }, { occurredAt: now }),
    ]);
    return view((await this.find(manager, seller.id, changeId)) as SellerChangeRow);
  }

  /** Every change asked for the seller, the latest first. */
  async list(sellerId: string, principal: Principal): Promise<SellerChangeView[]> {
    await loadVisibleSeller(this.dataSource.manager, sellerId, principal);
    const rows: SellerChangeRow[] = await this.dataSource.query(`${SELECT} WHERE seller_id = $1 ORDER BY requested_at DESC`, [sellerId]);
    return rows.map(view);
  }

  private async pendingOf(manager: EntityManager, sellerId: string): Promise<SellerChangeRow | undefined> {
    const [row] = await manager.query(`${SELECT} WHERE seller_id = $1 AND status = 'pending'`, [sellerId]);
    return row;
  }

  private async find(manager: EntityManager, sellerId: string, changeId: string, lock = false): Promise<SellerChangeRow | undefined> {
    const [row] = await manager.query(`${SELECT} WHERE seller_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [sellerId, changeId]);
    return row;
  }
}

function pendingConflict(sellerId: string, pendingChangeId: string | null): ConflictError {
  return new ConflictError(
    'ONBOARDING.CHANGE_PENDING',
    `seller ${sellerId} already has a change waiting for a reviewer; it must be approved or rejected before another is asked`,
    pendingChangeId ? { pendingChangeId } : {},
  );
}
