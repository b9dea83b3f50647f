import { Injectable } from '@nestjs/common';
import { ExportAdjusted, ExportRecorded, ProgrammeProgressChanged, ProgrammeSnapshotV1 } from '@niryat/contracts';
import { InboundEvent, OutboxWriter, outboxEvent } from '@niryat/messaging';
import { inKeyOrder, lockKeys } from '@niryat/persistence';
import { EntityManager } from 'typeorm';
import { ExportFactsLedger } from '../export-totals/export-facts';
import { DailyValue, daysToDeadline, Milestone, milestones, milestonesReached, quarterly, TargetBasis, targetProgress, total, usd, yearly } from './milestones';
import { AttributedFact, ExportAttribution } from '../attribution/export-attribution';
import { foldDaily } from './progress.fold';

/** A milestone as the API gives it: USD as decimal strings of dollars and cents. */
export interface MilestoneView {
  milestone: number;
  thresholdUsd: string;
  reachedOn: string;
  daysSincePrevious: number | null;
  droppedBelowOn: string | null;
  held: boolean;
}

export interface ProgrammeMilestones {
  programme: string;
  name: string;
  startsOn: string | null;
  milestoneStepUsd: string | null;
  cumulativeUsd: string;
  milestones: MilestoneView[];
}

export interface ProgrammeQuarters {
  programme: string;
  name: string;
  /** Calendar quarters from the first with an export to the last, USD as decimal strings. */
  quarters: { quarter: string; valueUsd: string; growthPercent: string | null }[];
}

export interface ProgrammeProgressView {
  programme: string;
  name: string;
  startsOn: string | null;
  basis: TargetBasis | null;
  exportTargetUsd: string | null;
  deadline: string | null;
  daysToDeadline: number | null;
  milestoneStepUsd: string | null;
  /** All net value recorded for the programme. */
  cumulativeUsd: string;
  yearly: { year: number; valueUsd: string }[];
  /** Against the target on `asOf`; null without a target. */
  target: { basis: TargetBasis; year: number | null; yearToDate: boolean; achievedUsd: string; targetUsd: string; percent: string } | null;
  milestonesReached: number;
  latestMilestone: MilestoneView | null;
}

interface ProgrammeRow {
  programme: string;
  name: string;
  export_target_usd: string | null;
  basis: TargetBasis | null;
  deadline: string | null;
  milestone_step_usd: string | null;
  starts_on: string | null;
}

const dollars = (wholeUsd: string | null) => (wholeUsd === null ? null : usd(BigInt(wholeUsd) * 100n));

function milestoneView(m: Milestone): MilestoneView {
  return {
    milestone: m.milestone,
    thresholdUsd: usd(m.thresholdUsdMinor),
    reachedOn: m.reachedOn,
    daysSincePrevious: m.daysSincePrevious,
    droppedBelowOn: m.droppedBelowOn,
    held: m.held,
  };
}

function milestonesOf(row: ProgrammeRow, daily: readonly DailyValue[]): Milestone[] {
  return row.milestone_step_usd === null ? [] : milestones(daily, BigInt(row.milestone_step_usd), row.starts_on);
}

/**
 * Programme progress from the programme catalogue (ProgrammeCatalogue, the latest version of each)
 * and ExportRecorded/Adjusted (net USD per attributed programme × shipment day). A batch writes
 * with at most two statements, in the consumer's transaction: one insert of business ids into the
 * ledger shared with export totals (none if export totals asked first in the transaction), one
 * multi-row upsert of daily deltas; then the changed programmes are republished. Milestones, yearly values and progress
 * against the target are computed on read by the pure functions of `milestones.ts`.
 */
@Injectable()
export class ProgressProjection {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly attribution: ExportAttribution,
    private readonly ledger = new ExportFactsLedger(),
  ) {}

  /**
   * Snapshots (applied to the catalogue first, by ProgrammeCatalogue's part of the consumer) only
   * republish their programme here: its name or step may have changed.
   */
  async apply(events: InboundEvent[], manager: EntityManager): Promise<void> {
    const isExport = (e: InboundEvent) => e.attributes.type === ExportRecorded.type || e.attributes.type === ExportAdjusted.type;
    const changed = new Set([
      ...events.filter((e) => !isExport(e)).map((e) => (e.payload as ProgrammeSnapshotV1).programmeId),
      ...(await this.applyExports(manager, events.filter(isExport))),
    ]);
    // A programme's days are changed by concurrent chunks through different rows: the later chunk
    // waits here for the earlier one to commit, so the value it publishes includes it.
    await lockKeys(manager, 'progress', changed);
    await this.publish(manager, [...changed]);
  }

  /** Every programme's current progress to the outbox: the snapshot a rebuild publishes when it swaps in. */
  async republishAll(manager: EntityManager): Promise<void> {
    const rows: { programme: string }[] = await manager.query(`SELECT programme FROM progress_programmes`);
    await this.publish(manager, rows.map((r) => r.programme));
  }

  /**
   * The programmes' new cumulative value and milestone count for the compacted reporting topic,
   * through the outbox: published once the batch commits.
   */
  private async publish(manager: EntityManager, programmes: string[]): Promise<void> {
    if (programmes.length === 0) return;
    const asOf = new Date().toISOString();
    // Exports of a programme not defined yet have no row here: published once it is. The days are
    // summed where they are: the total, and the peak running total that says the milestones.
    const rows: { programme: string; name: string; milestone_step_usd: string | null; cumulative: string; peak: string }[] = await manager.query(
      `SELECT p.programme, p.name, p.milestone_step_usd::text, coalesce(d.cumulative, 0)::text AS cumulative, coalesce(d.peak, 0)::text AS peak
         FROM progress_programmes p
         LEFT JOIN (SELECT programme, sum(value_usd_minor) AS cumulative, max(running) AS peak
                      FROM (SELECT programme, value_usd_minor, sum(value_usd_minor) OVER (PARTITION BY programme ORDER BY day) AS running
                              FROM progress_daily WHERE programme = ANY($1::text[])) AS days
                     GROUP BY programme) AS d ON d.programme = p.programme
        WHERE p.programme = ANY($1::text[]) ORDER BY p.programme COLLATE "C"`,
      [programmes],
    );
    const events = rows.map((row) =>
      outboxEvent(ProgrammeProgressChanged, {
        programme: row.programme,
        name: row.name,
        cumulativeUsdMinor: row.cumulative,
        milestonesCrossed: row.milestone_step_usd === null ? 0 : milestonesReached(BigInt(row.peak), BigInt(row.milestone_step_usd)),
        asOf,
      }),
    );
    await this.outbox.append(manager, events);
  }

  private async applyExports(manager: EntityManager, events: InboundEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    return this.applyDaily(manager, await this.attribution.attribute(manager, await this.ledger.fresh(manager, events)));
  }

  /** Set-aside exports released to their programme: counted there, and the programme republished. */
  async applyAttributed(manager: EntityManager, facts: readonly AttributedFact[]): Promise<void> {
    const changed = await this.applyDaily(manager, facts);
    await lockKeys(manager, 'progress', changed);
    await this.publish(manager, changed);
  }

  private async applyDaily(manager: EntityManager, facts: readonly AttributedFact[]): Promise<string[]> {
    const deltas = inKeyOrder(foldDaily(facts));
    if (deltas.length === 0) return [];
    await manager.query(
      `INSERT INTO progress_daily AS d (programme, day, value_usd_minor)
       SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])
       ON CONFLICT (programme, day) DO UPDATE SET
         value_usd_minor = d.value_usd_minor + EXCLUDED.value_usd_minor,
         updated_at      = now()`,
      [deltas.map((d) => d.programme), deltas.map((d) => d.day), deltas.map((d) => d.valueUsdMinor.toString())],
    );
    return [...new Set(deltas.map((d) => d.programme))];
  }

  /** The programmes given (all of them for null), by programme id in byte order. */
  private async programmes(manager: EntityManager, programmes: readonly string[] | null): Promise<ProgrammeRow[]> {
    return manager.query(
      `SELECT programme, name, export_target_usd::text, basis, to_char(deadline, 'YYYY-MM-DD') AS deadline,
              milestone_step_usd::text, to_char(starts_on, 'YYYY-MM-DD') AS starts_on
         FROM progress_programmes WHERE ($1::text[] IS NULL OR programme = ANY($1)) ORDER BY programme COLLATE "C"`,
      [programmes],
    );
  }

  private async daily(manager: EntityManager, programmes: readonly string[] | null): Promise<Map<string, DailyValue[]>> {
    const rows: { programme: string; day: string; value_usd_minor: string }[] = await manager.query(
      `SELECT programme, to_char(day, 'YYYY-MM-DD') AS day, value_usd_minor::text
         FROM progress_daily WHERE ($1::text[] IS NULL OR programme = ANY($1)) ORDER BY programme, day`,
      [programmes],
    );
    const byProgramme = new Map<string, DailyValue[]>();
    for (const r of rows) {
      const list = byProgramme.get(r.programme) ?? [];
      list.push({ day: r.day, valueUsdMinor: BigInt(r.value_usd_minor) });
      byProgramme.set(r.programme, list);
    }
    return byProgramme;
  }

  /** Every defined programme's progress on `asOf` (YYYY-MM-DD), by programme id. */
  async read(manager: EntityManager, asOf: string): Promise<ProgrammeProgressView[]> {
    const rows = await this.programmes(manager, null);
    const daily = await this.daily(manager, null);
    return rows.map((row): ProgrammeProgressView => {
      const days = daily.get(row.programme) ?? [];
      const crossed = milestonesOf(row, days);
      const target = targetProgress(days, { exportTargetUsd: row.export_target_usd === null ? null : BigInt(row.export_target_usd), basis: row.basis, deadline: row.deadline }, asOf);
      return {
        programme: row.programme,
        name: row.name,
        startsOn: row.starts_on,
        basis: row.basis,
        exportTargetUsd: dollars(row.export_target_usd),
        deadline: row.deadline,
        daysToDeadline: daysToDeadline(row.deadline, asOf),
        milestoneStepUsd: dollars(row.milestone_step_usd),
        cumulativeUsd: usd(total(days)),
        yearly: yearly(days).map((y) => ({ year: y.year, valueUsd: usd(y.valueUsdMinor) })),
        target: target && {
          basis: target.basis,
          year: target.year,
          yearToDate: target.yearToDate,
          achievedUsd: usd(target.achievedUsdMinor),
          targetUsd: usd(target.targetUsdMinor),
          percent: target.percent,
        },
        milestonesReached: crossed.length,
        latestMilestone: crossed.length > 0 ? milestoneView(crossed[crossed.length - 1]) : null,
      };
    });
  }

  /** Each defined programme's value per quarter and growth on the quarter before (all programmes, or one). */
  async readQuarters(manager: EntityManager, programme?: string): Promise<ProgrammeQuarters[]> {
    const only = programme === undefined ? null : [programme];
    const rows = await this.programmes(manager, only);
    const daily = await this.daily(manager, only);
    return rows.map((row) => ({
      programme: row.programme,
      name: row.name,
      quarters: quarterly(daily.get(row.programme) ?? []).map((q) => ({ quarter: q.quarter, valueUsd: usd(q.valueUsdMinor), growthPercent: q.growthPercent })),
    }));
  }

  /** One programme's milestones, or null if the programme was never defined. */
  async readMilestones(manager: EntityManager, programme: string): Promise<ProgrammeMilestones | null> {
    const [row] = await this.programmes(manager, [programme]);
    if (!row) return null;
    const days = (await this.daily(manager, [programme])).get(programme) ?? [];
    return {
      programme: row.programme,
      name: row.name,
      startsOn: row.starts_on,
      milestoneStepUsd: dollars(row.milestone_step_usd),
      cumulativeUsd: usd(total(days)),
      milestones: milestonesOf(row, days).map(milestoneView),
    };
  }
}
