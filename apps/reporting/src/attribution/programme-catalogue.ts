import { Marketplace, programmeMarketplaces, ProgrammeSnapshotV1 } from '@niryat/contracts';
import { EntityManager } from 'typeorm';
import { ProgrammeMarketplaces } from './programme-attribution';

/** The highest version of each programme in a batch (a multi-row upsert cannot touch one row twice). */
export function latestSnapshots<S extends Pick<ProgrammeSnapshotV1, 'programmeId' | 'version'>>(snapshots: readonly S[]): S[] {
  const latest = new Map<string, S>();
  for (const s of snapshots) {
    const seen = latest.get(s.programmeId);
    if (!seen || s.version > seen.version) latest.set(s.programmeId, s);
  }
  return [...latest.values()];
}

/**
 * The programme catalogue as reporting holds it (progress_programmes): the latest snapshot of each
 * programme, from ProgrammeDefined / ProgrammeUpdated. Progress reads its targets; attribution
 * reads its marketplaces.
 *
 * The marketplaces are read once and kept until a transaction of this process changes the
 * catalogue: a batch of exports costs no statement for them. A transaction that changed it reads
 * its own rows and keeps nothing (it may still roll back).
 */
export class ProgrammeCatalogue {
  private committed?: ProgrammeMarketplaces;
  private readonly changedIn = new WeakSet<EntityManager>();

  /** Applies the snapshots newer than what is held; returns the programmes whose row changed. */
  async apply(manager: EntityManager, snapshots: readonly ProgrammeSnapshotV1[]): Promise<string[]> {
    const latest = latestSnapshots(snapshots);
    if (latest.length === 0) return [];
    const changed: { programme: string }[] = await manager.query(
      `INSERT INTO progress_programmes AS p (programme, name, partner, marketplaces, export_target_usd, basis, deadline, milestone_step_usd, starts_on, version)
       SELECT u.programme, u.name, u.partner, u.marketplaces::text[], u.export_target_usd, u.basis, u.deadline, u.milestone_step_usd, u.starts_on, u.version
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::date[], $8::bigint[], $9::date[], $10::int[])
         AS u(programme, name, partner, marketplaces, export_target_usd, basis, deadline, milestone_step_usd, starts_on, version)
       ON CONFLICT (programme) DO UPDATE SET
         name = EXCLUDED.name, partner = EXCLUDED.partner, marketplaces = EXCLUDED.marketplaces,
         export_target_usd = EXCLUDED.export_target_usd, basis = EXCLUDED.basis,
         deadline = EXCLUDED.deadline, milestone_step_usd = EXCLUDED.milestone_step_usd,
         starts_on = EXCLUDED.starts_on, version = EXCLUDED.version, updated_at = now()
       -- A row from before marketplaces were kept takes its programme's snapshot again, whatever its version.
       WHERE p.version < EXCLUDED.version OR p.marketplaces IS NULL
       RETURNING programme`,
      [
        latest.map((s) => s.programmeId),
        latest.map((s) => s.name),
        latest.map((s) => s.partner),
        // One text per programme (unnest flattens a 2-D array): '{amazon,walmart}'.
        latest.map((s) => `{${programmeMarketplaces(s).join(',')}}`),
        latest.map((s) => (s.exportTargetUsd === undefined ? null : String(s.exportTargetUsd))),
        latest.map((s) => s.exportTargetBasis ?? null),
        latest.map((s) => s.exportTargetDeadline ?? null),
        latest.map((s) => (s.milestoneStepUsd === undefined ? null : String(s.milestoneStepUsd))),
        latest.map((s) => s.startsOn ?? null),
        latest.map((s) => s.version),
      ],
    );
    if (changed.length > 0) {
      this.committed = undefined;
      this.changedIn.add(manager);
    }
    return changed.map((r) => r.programme);
  }

  /** The marketplaces of every programme the catalogue knows (rows from before marketplaces were kept: not known). */
  async marketplaces(manager: EntityManager): Promise<ProgrammeMarketplaces> {
    if (this.committed && !this.changedIn.has(manager)) return this.committed;
    const rows: { programme: string; marketplaces: Marketplace[] }[] = await manager.query(
      `SELECT programme, marketplaces FROM progress_programmes WHERE marketplaces IS NOT NULL`,
    );
    const read = new Map(rows.map((r) => [r.programme, r.marketplaces]));
    if (!this.changedIn.has(manager)) this.committed = read;
    return read;
  }
}
