import type { Principal } from '@niryat/auth';
import { NotFoundError } from '@niryat/platform';
import { EntityManager } from 'typeorm';
import { Seller } from './seller.entity';

export function sellerNotFound(id: string): NotFoundError {
  return new NotFoundError('ONBOARDING.SELLER_NOT_FOUND', `seller ${id} does not exist`, { sellerId: id });
}

/**
 * Who may see which sellers: reviewers, operators and analysts all; a registrant the sellers it
 * registered; a partner the sellers holding an account on its marketplace. As a SQL condition on
 * `s` (sellers) with its parameters, so lists and single reads apply the same rule.
 */
export function visibilityCondition(principal: Principal, firstParam: number): { sql: string; params: unknown[] } {
  switch (principal.role) {
    case 'registrant':
      return { sql: `s.registered_by = $${firstParam}`, params: [principal.id] };
    case 'partner':
      return {
        sql: `EXISTS (SELECT 1 FROM marketplace_accounts m WHERE m.seller_id = s.id AND m.marketplace = $${firstParam})`,
        params: [principal.scope ?? ''],
      };
    default:
      return { sql: 'TRUE', params: [] };
  }
}

/**
 * Loads a seller the principal may see, optionally locked for update. One that exists but is not
 * visible is reported as not found, so ids of other registrants' sellers are not confirmed.
 */
export async function loadVisibleSeller(manager: EntityManager, id: string, principal: Principal, lock = false): Promise<Seller> {
  const visible = visibilityCondition(principal, 2);
  const rows: { id: string }[] = await manager.query(`SELECT s.id FROM sellers s WHERE s.id = $1 AND ${visible.sql}`, [id, ...visible.params]);
  if (rows.length === 0) throw sellerNotFound(id);
  const seller = await manager.findOne(Seller, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!seller) throw sellerNotFound(id);
  return seller;
}
