import { EntityManager } from 'typeorm';
import type { SellerStatus } from '../review/seller-workflow';

export interface HistoryEntry {
  sellerId: string;
  /** registered, start-review, approve, reject, suspend, reinstate, profile-updated, enrolled, withdrawn, account-linked, account-unlinked */
  action: string;
  fromStatus?: SellerStatus | null;
  toStatus?: SellerStatus | null;
  actor: string;
  reason?: string | null;
  /** What changed, by name; never personal or bank values. */
  details?: Record<string, unknown>;
}

/** Appends to the seller's audit trail, inside the transaction that made the change. */
export async function recordHistory(manager: EntityManager, entry: HistoryEntry): Promise<void> {
  await manager.query(
    `INSERT INTO seller_history (seller_id, action, from_status, to_status, actor, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.sellerId, entry.action, entry.fromStatus ?? null, entry.toStatus ?? null, entry.actor, entry.reason ?? null, JSON.stringify(entry.details ?? {})],
  );
}
