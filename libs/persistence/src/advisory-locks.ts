import { EntityManager } from 'typeorm';

/**
 * Transaction-scoped advisory locks on `keys` within `scope` (and the connection's schema), taken
 * in sorted order so two transactions locking overlapping sets cannot deadlock on them. Use it
 * where a transaction reads an aggregate that other transactions change through different rows
 * (no row lock orders them): the second to lock waits for the first to commit, then reads its
 * changes.
 */
export async function lockKeys(manager: EntityManager, scope: string, keys: Iterable<string>): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || $1 || ':' || k, 0)))
       FROM (SELECT k FROM unnest($2::text[]) WITH ORDINALITY AS u(k, n) ORDER BY n) AS ordered`,
    [scope, sorted],
  );
}

/** A map's values in the order of its keys: multi-row upserts that lock rows in one order cannot deadlock each other. */
export function inKeyOrder<V>(map: ReadonlyMap<string, V>): V[] {
  return [...map.keys()].sort().map((key) => map.get(key) as V);
}
