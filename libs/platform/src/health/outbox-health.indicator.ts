import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/service-env';
import { SERVICE_ENV, SERVICE_NAME } from '../messaging/messaging.providers';
import { schemaOfService } from '../platform.module';

/**
 * The outbox rows and dead letters set aside because the broker refused them for good: up (the
 * rest flows), with how many and since when, so an operator sees them beside the service's state.
 */
@Injectable()
export class SetAsideHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(SERVICE_NAME) private readonly name: string,
  ) {}

  async check(key = 'setAside') {
    const indicator = this.indicators.check(key);
    const schema = schemaOfService(this.name, this.env);
    try {
      const [row]: { outbox: number; outbox_since: Date | null; dead_letters: number; dead_letters_since: Date | null }[] = await this.dataSource.query(
        `SELECT (SELECT count(*)::int FROM "${schema}".outbox WHERE set_aside_at IS NOT NULL AND published_at IS NULL) AS outbox,
                (SELECT min(set_aside_at) FROM "${schema}".outbox WHERE set_aside_at IS NOT NULL AND published_at IS NULL) AS outbox_since,
                (SELECT count(*)::int FROM "${schema}".dead_letters_set_aside) AS dead_letters,
                (SELECT min(set_aside_at) FROM "${schema}".dead_letters_set_aside) AS dead_letters_since`,
      );
      return indicator.up({
        outboxRows: row.outbox,
        ...(row.outbox_since ? { outboxSince: row.outbox_since.toISOString() } : {}),
        deadLetters: row.dead_letters,
        ...(row.dead_letters_since ? { deadLettersSince: row.dead_letters_since.toISOString() } : {}),
      });
    } catch (error) {
      // The database check says whether the database answers; this one only reports.
      return indicator.up({ unknown: (error as Error).message });
    }
  }
}
