import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PlatformMetrics, schemaOfService, SERVICE_ENV } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';

/**
 * Partner events parked for seller accounts not linked yet, read at scrape time: how many per
 * partner and how old the oldest is (they expire after PARKED_EVENT_TTL_DAYS).
 */
@Injectable()
export class ParkedEventsMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: PlatformMetrics,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: ExportsEnv,
  ) {}

  onModuleInit(): void {
    const parked = this.metrics.gauge('niryat_exports_parked_events', 'Partner events parked until their seller account is linked, by partner', ['partner']);
    const oldest = this.metrics.gauge('niryat_exports_oldest_parked_age_seconds', 'Age of the oldest parked event; 0 when none is parked');
    const schema = schemaOfService('exports', this.env);
    let partners = new Set<string>();
    this.metrics.onScrape('parked-events', async () => {
      const rows: { partner: string; parked: number; oldest_seconds: number }[] = await this.dataSource.query(
        `SELECT partner, count(*)::int AS parked, extract(epoch FROM now() - min(parked_at))::float8 AS oldest_seconds FROM "${schema}".parked_events GROUP BY partner`,
      );
      // A partner whose last parked event went is shown at 0, not dropped: a series that vanishes alerts no one.
      partners = new Set([...partners, ...rows.map((r) => r.partner)]);
      for (const partner of partners) parked.set({ partner }, rows.find((r) => r.partner === partner)?.parked ?? 0);
      oldest.set(Math.max(0, ...rows.map((r) => r.oldest_seconds)));
    });
  }
}
