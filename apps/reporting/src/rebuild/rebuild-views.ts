import type { TlsOptions } from 'node:tls';
import { Topics } from '@niryat/contracts';
import { BatchConsumer, BatchConsumerOptions, KafkaClient } from '@niryat/messaging';
import { assertSchemaName, migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { REPORTING_MIGRATIONS } from '../database/migrations';
import { REPORTING_GROUP, ReportingViews } from '../reporting-views';

export interface RebuildProgress {
  phase: 'catalogue' | 'replaying' | 'catching-up' | 'swapping' | 'done';
  /** Records the rebuild's consumer has applied, over every topic it reads. */
  applied: number;
  /** Records in those topics now (the log grows while the platform runs). */
  total: number;
  ratePerSecond: number;
  /** Seconds until `total` at the current rate; null until a rate is known. */
  etaSeconds: number | null;
  elapsedMs: number;
}

export interface RebuildOptions {
  databaseUrl: string;
  /** TLS to PostgreSQL, as the service connects (DATABASE_SSL_MODE). */
  databaseSsl?: TlsOptions | false;
  kafka: KafkaClient;
  /** The schema the service reads and writes (`reporting`); replaced by the rebuilt one. */
  liveSchema: string;
  chunkSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  progressIntervalMs?: number;
  /**
   * How long the swap may hold the live consumers (it locks their stored offsets) while the
   * rebuild applies the last records they applied before it; the swap gives up after this.
   */
  swapWaitMs?: number;
  /** Keep the replaced schema (`<live>_replaced_<stamp>`) for inspection instead of dropping it. */
  keepReplaced?: boolean;
  /**
   * Test seam: runs once the replay has reached the end the log had at the start, before the
   * rebuild catches up with the live consumers (which may have moved on meanwhile) and swaps.
   */
  afterReplay?: () => Promise<void>;
  /** Names the schemas and the Kafka groups of this rebuild; a UTC timestamp by default. */
  stamp?: string;
}

export interface RebuildResult {
  /** Where the rebuild was built before it was renamed to the live schema. */
  rebuildSchema: string;
  /** The former live schema, if kept; null when dropped or when there was none. */
  replacedSchema: string | null;
  applied: number;
  seconds: number;
}

interface PartitionRange {
  group: string;
  topic: string;
  partition: number;
  low: bigint;
  high: bigint;
}

type StoredOffsets = Map<string, bigint>;
const offsetKey = (group: string, topic: string, partition: number) => `${group}|${topic}|${partition}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function utcStamp(now = new Date()): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function storedOffsets(manager: EntityManager, schema: string): Promise<StoredOffsets> {
  const rows: { consumer_group: string; topic: string; partition: number; next_offset: string }[] = await manager.query(
    `SELECT consumer_group, topic, "partition", next_offset::text FROM "${schema}".consumer_offsets`,
  );
  return new Map(rows.map((r) => [offsetKey(r.consumer_group, r.topic, r.partition), BigInt(r.next_offset)]));
}

/** Where each (live) stored offset is not yet reached by the rebuild's. */
function behind(rebuilt: StoredOffsets, target: StoredOffsets): string[] {
  return [...target].filter(([key, offset]) => (rebuilt.get(key) ?? 0n) < offset).map(([key]) => key);
}

/**
 * Rebuilds every reporting view from the start of the domain topics into a fresh schema, then
 * swaps it in for the live one without a moment where queries fail:
 *
 * 1. `<live>_rebuild_<stamp>` is created with the service's migrations. The programme catalogue is
 *    read first, to the end it has now (Kafka group `<group>.rebuild-<stamp>.catalogue`), so every
 *    export of the replay is attributed under the latest rule: a programme whose marketplaces
 *    changed is re-attributed over its whole history. Then the service's consumer runs on it from
 *    offset zero in a Kafka group of its own (`<group>.rebuild-<stamp>`), keeping its stored
 *    offsets and inbox rows under the live group's name (the catalogue's records, already
 *    applied, are below its stored offsets there and skipped).
 * 2. Once it has reached the end the log had when the rebuild began, and the live consumer's
 *    stored offsets, one transaction locks the live `consumer_offsets` (pausing the live consumers
 *    at their next chunk), lets the rebuild reach what the live consumers applied last, stops it,
 *    replaces the replay's intermediate reporting-topic records with one snapshot of every row,
 *    and renames the schemas: live → `<live>_replaced_<stamp>`, rebuild → live.
 * 3. On commit the paused live consumers resolve their tables again by name, now the rebuilt
 *    ones, and carry on from the rebuilt stored offsets: nothing is skipped (those offsets are at
 *    least theirs) and nothing counts twice (records below them are filtered, the inbox is the
 *    rebuild's). Queries see the old tables until the commit and the new ones after it.
 */
export async function rebuildReportingViews(options: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const stamp = options.stamp ?? utcStamp();
  const live = assertSchemaName(options.liveSchema);
  const rebuildSchema = assertSchemaName(`${live}_rebuild_${stamp}`);
  const replacedSchema = assertSchemaName(`${live}_replaced_${stamp}`);
  const swapWaitMs = options.swapWaitMs ?? 10_000;
  const progressEvery = options.progressIntervalMs ?? 1_000;

  const dataSource = new DataSource(
    serviceDataSourceOptions({ url: options.databaseUrl, schema: rebuildSchema, migrations: REPORTING_MIGRATIONS, applicationName: 'niryat-reporting-rebuild', ssl: options.databaseSsl }),
  );
  await dataSource.initialize();
  const views = new ReportingViews(rebuildSchema);
  const consumerOptions: BatchConsumerOptions = { ...views.consumer(options.chunkSize), kafkaGroupId: `${REPORTING_GROUP}.rebuild-${stamp}` };
  const consumer = new BatchConsumer(dataSource, options.kafka, consumerOptions);
  // One admin connection for the whole rebuild: the log's ends are read on every progress tick.
  const admin = options.kafka.kafka.admin();
  let running = false;
  let swapped = false;
  try {
    if (await schemaExists(dataSource.manager, rebuildSchema)) throw new Error(`schema ${rebuildSchema} already exists: another rebuild with stamp ${stamp}?`);
    await migrate(dataSource);
    await admin.connect();

    const ranges = async (): Promise<PartitionRange[]> => {
      const result: PartitionRange[] = [];
      for (const base of consumerOptions.topics) {
        const topic = options.kafka.topic(base);
        for (const p of await admin.fetchTopicOffsets(topic)) {
          result.push({ group: consumerOptions.groupId, topic, partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) });
        }
      }
      return result;
    };
    const startRanges = await ranges();
    const endAtStart: StoredOffsets = new Map(startRanges.filter((r) => r.high > r.low).map((r) => [offsetKey(r.group, r.topic, r.partition), r.high]));

    // 0. The catalogue to its end, before any export is attributed.
    const catalogueTopic = options.kafka.topic(Topics.onboardingProgramme);
    const catalogueEnd = new Map([...endAtStart].filter(([key]) => key.startsWith(`${consumerOptions.groupId}|${catalogueTopic}|`)));
    if (catalogueEnd.size > 0) {
      const catalogue = new BatchConsumer(dataSource, options.kafka, {
        ...views.catalogueConsumer(options.chunkSize),
        groupId: consumerOptions.groupId,
        kafkaGroupId: `${REPORTING_GROUP}.rebuild-${stamp}.catalogue`,
      });
      await catalogue.start();
      try {
        options.onProgress?.({ phase: 'catalogue', applied: 0, total: Number([...catalogueEnd.values()].reduce((a, b) => a + b, 0n)), ratePerSecond: 0, etaSeconds: null, elapsedMs: Date.now() - started });
        while (behind(await storedOffsets(dataSource.manager, rebuildSchema), catalogueEnd).length > 0) await sleep(Math.min(progressEvery, 100));
      } finally {
        await catalogue.stop();
      }
    }

    await consumer.start();
    running = true;

    let lastRanges = startRanges;
    let lastSample = { at: Date.now(), applied: 0 };
    let rate = 0;
    const report = async (phase: RebuildProgress['phase']): Promise<StoredOffsets> => {
      const rebuilt = await storedOffsets(dataSource.manager, rebuildSchema);
      let applied = 0n;
      let total = 0n;
      for (const r of lastRanges) {
        const stored = rebuilt.get(offsetKey(r.group, r.topic, r.partition)) ?? r.low;
        applied += stored > r.low ? stored - r.low : 0n;
        total += r.high - r.low;
      }
      const now = Date.now();
      const done = Number(applied);
      if (now > lastSample.at) {
        const sampleRate = ((done - lastSample.applied) * 1_000) / (now - lastSample.at);
        rate = rate === 0 ? sampleRate : 0.7 * rate + 0.3 * sampleRate;
      }
      lastSample = { at: now, applied: done };
      const remaining = Math.max(0, Number(total) - done);
      options.onProgress?.({
        phase,
        applied: done,
        total: Math.max(done, Number(total)),
        ratePerSecond: rate,
        etaSeconds: rate > 0 ? remaining / rate : remaining === 0 ? 0 : null,
        elapsedMs: now - started,
      });
      return rebuilt;
    };

    // 1. Replay up to the end of the log as it was when the rebuild began.
    for (;;) {
      const rebuilt = await report('replaying');
      if (behind(rebuilt, endAtStart).length === 0) break;
      await sleep(progressEvery);
      lastRanges = await ranges();
    }
    await options.afterReplay?.();
    // 2. Reach the live consumers without holding them, so the locked wait below is short.
    for (;;) {
      lastRanges = await ranges();
      const rebuilt = await report('catching-up');
      const liveOffsets = (await schemaExists(dataSource.manager, live)) ? await storedOffsets(dataSource.manager, live) : new Map<string, bigint>();
      if (behind(rebuilt, liveOffsets).length === 0) break;
      await sleep(Math.min(progressEvery, 200));
    }

    // 3. Swap, in one transaction.
    await report('swapping');
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(swapWaitMs))}`);
      const hasLive = await schemaExists(runner.manager, live);
      if (hasLive) {
        await runner.query(`LOCK TABLE "${live}".consumer_offsets IN ACCESS EXCLUSIVE MODE`);
        const liveOffsets = await storedOffsets(runner.manager, live);
        const deadline = Date.now() + swapWaitMs;
        for (;;) {
          const missing = behind(await storedOffsets(dataSource.manager, rebuildSchema), liveOffsets);
          if (missing.length === 0) break;
          if (Date.now() > deadline) throw new Error(`the rebuild did not reach the live consumers within ${swapWaitMs} ms (${missing.join(', ')})`);
          await sleep(50);
        }
      }
      await consumer.stop();
      running = false;
      // The replay's outbox holds every intermediate value; one snapshot of every row replaces it,
      // which also covers whatever the live outbox had not published yet.
      await runner.query(`DELETE FROM "${rebuildSchema}".outbox WHERE published_at IS NULL`);
      await views.exportTotals.republishAll(runner.manager);
      await views.funnel.republishAll(runner.manager);
      await views.progress.republishAll(runner.manager);
      if (hasLive) await runner.query(`ALTER SCHEMA "${live}" RENAME TO "${replacedSchema}"`);
      await runner.query(`ALTER SCHEMA "${rebuildSchema}" RENAME TO "${live}"`);
      await runner.commitTransaction();
      swapped = true;
      let kept = hasLive && options.keepReplaced === true;
      if (hasLive && !kept) {
        // The swap has happened; failing to tidy up must not say otherwise.
        kept = await runner.query(`DROP SCHEMA "${replacedSchema}" CASCADE`).then(
          () => false,
          () => true,
        );
      }
      const applied = lastSample.applied;
      options.onProgress?.({ phase: 'done', applied, total: applied, ratePerSecond: rate, etaSeconds: 0, elapsedMs: Date.now() - started });
      return {
        rebuildSchema,
        replacedSchema: kept ? replacedSchema : null,
        applied,
        seconds: (Date.now() - started) / 1_000,
      };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  } finally {
    if (running) await consumer.stop();
    await admin.disconnect().catch(() => undefined);
    // A rebuild that did not swap leaves nothing behind; the swapped one is the live schema now.
    if (!swapped && dataSource.isInitialized) await dataSource.query(`DROP SCHEMA IF EXISTS "${rebuildSchema}" CASCADE`);
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

async function schemaExists(manager: EntityManager, schema: string): Promise<boolean> {
  const [{ exists }] = await manager.query(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists`, [schema]);
  return exists;
}
