import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/service-env';
import { SERVICE_ENV, SERVICE_NAME } from '../messaging/messaging.providers';
import { schemaOfService } from '../platform.module';
import { PlatformMetrics } from './platform-metrics';

/**
 * The outbox's backlog and the records set aside, read from the service's schema at scrape time
 * (one query): what waits to be published and since when, and what waits for an operator.
 */
@Injectable()
export class OutboxGauges implements OnModuleInit {
  constructor(
    private readonly metrics: PlatformMetrics,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(SERVICE_NAME) private readonly name: string,
  ) {}

  onModuleInit(): void {
    const backlog = this.metrics.gauge('niryat_outbox_backlog', 'Outbox rows waiting to be published (set-aside rows not counted)');
    const oldest = this.metrics.gauge('niryat_outbox_oldest_unpublished_age_seconds', 'Age of the oldest outbox row waiting to be published; 0 when none waits');
    const setAside = this.metrics.gauge('niryat_set_aside_records', 'Records set aside for an operator (npm run deadletters -- list): outbox rows and dead letters the broker refused for good', ['kind']);
    const schema = schemaOfService(this.name, this.env);
    this.metrics.onScrape('outbox', async () => {
      const [row]: { backlog: number; oldest_seconds: number | null; outbox_set_aside: number; dead_letters_set_aside: number }[] = await this.dataSource.query(
        `SELECT count(*)::int AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS oldest_seconds,
                (SELECT count(*)::int FROM "${schema}".outbox WHERE set_aside_at IS NOT NULL AND published_at IS NULL) AS outbox_set_aside,
                (SELECT count(*)::int FROM "${schema}".dead_letters_set_aside) AS dead_letters_set_aside
           FROM "${schema}".outbox WHERE published_at IS NULL AND set_aside_at IS NULL`,
      );
      backlog.set(row.backlog);
      oldest.set(Math.max(0, row.oldest_seconds ?? 0));
      setAside.set({ kind: 'outbox' }, row.outbox_set_aside);
      setAside.set({ kind: 'dead_letter' }, row.dead_letters_set_aside);
    });
  }
}
