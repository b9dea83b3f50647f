import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { pruneMessagingTables } from '@niryat/messaging';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/service-env';
import { SERVICE_ENV, SERVICE_NAME } from '../messaging/messaging.providers';

/** A service's own part of retention: returns how many rows it removed (or expired). */
export interface RetentionTask {
  /** The figure's name in logs and /health, e.g. `parkedEventsExpired`. */
  name: string;
  run: () => Promise<number>;
}

export interface RetentionRun {
  at: string;
  durationMs: number;
  figures: Record<string, number>;
  /** Tasks that failed this run, with their error: retried at the next. */
  errors: Record<string, string>;
}

/** First run this long after boot: not in the way of start-up, soon enough to be seen. */
const FIRST_RUN_DELAY_MS = 30_000;

/**
 * Retention, in every service: every RETENTION_INTERVAL_MINUTES it prunes what exactly-once no
 * longer needs (inbox entries past INBOX_RETENTION_DAYS and below their stored offset, outbox rows
 * published more than OUTBOX_RETENTION_DAYS ago) and runs the tasks the service registered (exports
 * expires parked events). One info line per run with its figures (an error line for a task that
 * failed), and the last run in /health under `retention`. Replicas may run it at once: every
 * statement deletes rows by their own condition, so two runs never remove anything twice.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly tasks: RetentionTask[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionRun>;
  private stopped = false;
  last?: RetentionRun;
  nextRunAt?: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(SERVICE_NAME) private readonly name: string,
  ) {}

  register(task: RetentionTask): void {
    this.tasks.push(task);
  }

  onApplicationBootstrap(): void {
    if (this.env.RETENTION_INTERVAL_MINUTES === 0) {
      this.logger.warn('retention is off (RETENTION_INTERVAL_MINUTES=0): the inbox, the published outbox rows and the service\'s own tables grow for ever');
      return;
    }
    this.schedule(Math.min(FIRST_RUN_DELAY_MS, this.env.RETENTION_INTERVAL_MINUTES * 60_000));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.nextRunAt = new Date(Date.now() + delayMs).toISOString();
    this.timer = setTimeout(() => {
      void this.runOnce()
        .catch(() => undefined)
        .finally(() => this.schedule(this.env.RETENTION_INTERVAL_MINUTES * 60_000));
    }, delayMs);
    this.timer.unref();
  }

  /** One run now (or the one in progress): the figures it logged. */
  runOnce(): Promise<RetentionRun> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<RetentionRun> {
    const started = Date.now();
    const figures: Record<string, number> = {};
    const errors: Record<string, string> = {};
    const schema = this.env.DB_SCHEMA ?? this.name;
    const tasks: RetentionTask[] = [
      {
        name: 'messaging',
        run: async () => {
          const pruned = await pruneMessagingTables(this.dataSource, schema, { inboxDays: this.env.INBOX_RETENTION_DAYS, outboxDays: this.env.OUTBOX_RETENTION_DAYS });
          figures.inboxEntriesPruned = pruned.inboxEntries;
          figures.outboxRowsPruned = pruned.outboxRows;
          return pruned.inboxEntries + pruned.outboxRows;
        },
      },
      ...this.tasks,
    ];
    for (const task of tasks) {
      try {
        const n = await task.run();
        if (task.name !== 'messaging') figures[task.name] = n;
      } catch (error) {
        errors[task.name] = (error as Error).message;
        this.logger.error(`retention task ${task.name} failed (retried at the next run): ${(error as Error).message}`);
      }
    }
    const run: RetentionRun = { at: new Date(started).toISOString(), durationMs: Date.now() - started, figures, errors };
    this.last = run;
    this.logger.log(
      `retention: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')} in ${run.durationMs} ms ` +
        `(inbox ${this.env.INBOX_RETENTION_DAYS} d, outbox ${this.env.OUTBOX_RETENTION_DAYS} d)`,
    );
    return run;
  }
}
