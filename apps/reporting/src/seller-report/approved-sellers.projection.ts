import { Injectable } from '@nestjs/common';
import { SellerApprovedV1 } from '@niryat/contracts';
import { InboundEvent } from '@niryat/messaging';
import { inKeyOrder } from '@niryat/persistence';
import { EntityManager } from 'typeorm';

export interface ApprovedSellersRow {
  programme: string;
  stateCode: string;
  approvedSellers: number;
}

/** Adds up, per programme × state, how many of the given newly approved sellers fall in each cell. */
export function foldApprovals(approvals: readonly Pick<SellerApprovedV1, 'stateCode' | 'programmes'>[]): Map<string, ApprovedSellersRow> {
  const cells = new Map<string, ApprovedSellersRow>();
  for (const { stateCode, programmes } of approvals) {
    for (const programme of programmes) {
      const key = `${programme}|${stateCode}`;
      const cell = cells.get(key) ?? { programme, stateCode, approvedSellers: 0 };
      cell.approvedSellers += 1;
      cells.set(key, cell);
    }
  }
  return cells;
}

/**
 * Approved sellers per programme × state, maintained from SellerApproved events. A batch costs two
 * statements whatever its size: record the sellers (dropping ones already counted), then one
 * multi-row upsert of the folded deltas.
 */
@Injectable()
export class ApprovedSellersProjection {
  async apply(events: InboundEvent<SellerApprovedV1>[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const latestBySeller = new Map(events.map((e) => [e.payload.sellerId, e.payload]));
    const approvals = [...latestBySeller.values()];
    const firstTime: { state_code: string; programmes: string[] }[] = await manager.query(
      `INSERT INTO seller_approvals (seller_id, state_code, programmes, approved_at)
       SELECT id, st, string_to_array(pr, ','), at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS t(id, st, pr, at)
       ON CONFLICT (seller_id) DO NOTHING
       RETURNING state_code, programmes`,
      [
        approvals.map((a) => a.sellerId),
        approvals.map((a) => a.stateCode),
        approvals.map((a) => a.programmes.join(',')),
        approvals.map((a) => a.approvedAt),
      ],
    );
    const cells = inKeyOrder(foldApprovals(firstTime.map((r) => ({ stateCode: r.state_code, programmes: r.programmes }))));
    if (cells.length === 0) return;
    await manager.query(
      `INSERT INTO approved_sellers (programme, state_code, approved_count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
       ON CONFLICT (programme, state_code)
       DO UPDATE SET approved_count = approved_sellers.approved_count + EXCLUDED.approved_count, updated_at = now()`,
      [cells.map((c) => c.programme), cells.map((c) => c.stateCode), cells.map((c) => c.approvedSellers)],
    );
  }

  async read(manager: EntityManager): Promise<{ rows: ApprovedSellersRow[]; totalApprovedSellers: number }> {
    const rows: { programme: string; state_code: string; approved_count: number }[] = await manager.query(
      `SELECT programme, state_code, approved_count FROM approved_sellers ORDER BY programme, state_code`,
    );
    const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM seller_approvals`);
    return {
      rows: rows.map((r) => ({ programme: r.programme, stateCode: r.state_code, approvedSellers: r.approved_count })),
      totalApprovedSellers: total,
    };
  }
}
