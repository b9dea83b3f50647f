import type { DataSource } from 'typeorm';

/** Rows one statement deletes at most: short transactions, short locks, the consumers never wait long. */
const PRUNE_BATCH = 5_000;

/** What retention keeps, as ages; `now` is the database's clock. */
export interface RetentionWindows {
  /**
   * Inbox entries are kept this long after they were applied, and always while their record is not
   * below the group's stored offset of its partition. Redelivery of the same records (a reset or
   * lost Kafka offset, a rebalance) is skipped by the stored offset whatever the inbox holds; the
   * window covers the other kind of duplicate, the same event published again at a later offset (a
   * relay that crashed between sending and marking, a partner sending an event twice, a dead
   * letter replayed onto a topic other groups read too). The services keep 35 days by default and
   * never less than the dead letters' 30 days plus one.
   */
  inboxDays: number;
  /** Published outbox rows are kept this long after they were written. Default 7 days. */
  outboxDays: number;
}

export interface PruneFigures {
  inboxEntries: number;
  outboxRows: number;
}

async function deleteInBatches(dataSource: DataSource, statement: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const [, deleted] = (await dataSource.query(statement, params)) as [unknown[], number];
    total += deleted;
    if (deleted < PRUNE_BATCH) return total;
  }
}

/**
 * Deletes, from `schema`, the inbox entries no redelivery needs (applied more than `inboxDays` ago
 * and below their group's stored offset) and the outbox rows published more than `outboxDays` ago.
 * Never an unpublished or set-aside row, never an entry of a partition with no stored offset.
 */
export async function pruneMessagingTables(dataSource: DataSource, schema: string, windows: RetentionWindows): Promise<PruneFigures> {
  const inboxEntries = await deleteInBatches(
    dataSource,
    `DELETE FROM "${schema}".inbox WHERE ctid = ANY(ARRAY(
       SELECT i.ctid FROM "${schema}".inbox i
         JOIN "${schema}".consumer_offsets o ON o.consumer_group = i.consumer_group AND o.topic = i.topic AND o."partition" = i."partition"
        WHERE i.applied_at < now() - make_interval(secs => $1::float8 * 86400) AND i."offset" < o.next_offset
        LIMIT ${PRUNE_BATCH}))`,
    [windows.inboxDays],
  );
  const outboxRows = await deleteInBatches(
    dataSource,
    `DELETE FROM "${schema}".outbox WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM "${schema}".outbox
        WHERE created_at < now() - make_interval(secs => $1::float8 * 86400) AND published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1::float8 * 86400)
        LIMIT ${PRUNE_BATCH}))`,
    [windows.outboxDays],
  );
  return { inboxEntries, outboxRows };
}
