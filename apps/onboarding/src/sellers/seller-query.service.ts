import { Injectable } from '@nestjs/common';
import type { Principal } from '@niryat/auth';
import { DataSource } from 'typeorm';
import { loadVisibleSeller, visibilityCondition } from './seller-access';
import { ListSellersQuery } from './seller-query.dto';
import { Seller } from './seller.entity';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface HistoryItem {
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  reason: string | null;
  details: Record<string, unknown>;
  at: Date;
}

/** Reads: one seller, a filtered page of sellers, a seller's audit trail; each only as far as the principal may see. */
@Injectable()
export class SellerQueryService {
  constructor(private readonly dataSource: DataSource) {}

  get(id: string, principal: Principal): Promise<Seller> {
    return loadVisibleSeller(this.dataSource.manager, id, principal);
  }

  async list(query: ListSellersQuery, principal: Principal): Promise<Page<Seller>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(params.length));
    };
    if (query.state) add((n) => `s.state_code = $${n}`, query.state);
    if (query.status) add((n) => `s.status = $${n}`, query.status);
    if (query.district) add((n) => `lower(s.district) = lower($${n})`, query.district);
    if (query.programme) {
      add(
        (n) => `($${n} = ANY(s.programmes_applied) OR EXISTS (SELECT 1 FROM enrolments e WHERE e.seller_id = s.id AND e.programme_id = $${n} AND e.status = 'enrolled'))`,
        query.programme,
      );
    }
    const visible = visibilityCondition(principal, params.length + 1);
    conditions.push(visible.sql);
    params.push(...visible.params);
    const where = conditions.join(' AND ');

    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM sellers s WHERE ${where}`, params);
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT s.id FROM sellers s WHERE ${where} ORDER BY s.created_at DESC, s.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const sellers = ids.length ? await this.dataSource.getRepository(Seller).findBy(ids.map(({ id }) => ({ id }))) : [];
    const byId = new Map(sellers.map((s) => [s.id, s]));
    return { items: ids.map(({ id }) => byId.get(id) as Seller), page, pageSize, total };
  }

  async history(id: string, principal: Principal): Promise<HistoryItem[]> {
    await loadVisibleSeller(this.dataSource.manager, id, principal);
    const rows: { action: string; from_status: string | null; to_status: string | null; actor: string; reason: string | null; details: Record<string, unknown>; at: Date }[] =
      await this.dataSource.query(
        `SELECT action, from_status, to_status, actor, reason, details, at FROM seller_history WHERE seller_id = $1 ORDER BY id`,
        [id],
      );
    return rows.map((r) => ({ action: r.action, fromStatus: r.from_status, toStatus: r.to_status, actor: r.actor, reason: r.reason, details: r.details, at: r.at }));
  }
}
