import { EntityManager } from 'typeorm';

/** An event as the inbox knows it: CloudEvents ids are unique per source. */
export interface InboxEntry {
  source: string;
  id: string;
}

/**
 * Removes events from a group's inbox, in the caller's transaction: an event that was refused was
 * not applied, so once its cause is fixed the same event sent again must count as new. `schema`
 * qualifies the table; without it the connection's search path finds it.
 */
export async function forgetInboxEntries(manager: EntityManager, group: string, entries: readonly InboxEntry[], schema?: string): Promise<void> {
  if (entries.length === 0) return;
  await manager.query(
    `DELETE FROM ${schema ? `"${schema}".` : ''}inbox i USING unnest($2::text[], $3::text[]) AS r(s, id)
      WHERE i.consumer_group = $1 AND i.event_source = r.s AND i.event_id = r.id`,
    [group, entries.map((e) => e.source), entries.map((e) => e.id)],
  );
}
