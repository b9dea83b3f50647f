import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DeadLetterPublisher, KafkaClient } from '@niryat/messaging';
import { PlatformMetrics, RetentionService, schemaOfService, SERVICE_ENV } from '@niryat/platform';
import { DataSource } from 'typeorm';
import { ExportsEnv } from '../exports.env';
import { PARTNER_ORDERS_GROUP } from '../orders/consumer-groups';
import { OrderIntake } from '../orders/order-intake';

/** Parked events expired per transaction: each batch is dead-lettered before it commits. */
const EXPIRY_BATCH = 100;

/**
 * Exports' part of retention: parked events older than PARKED_EVENT_TTL_DAYS are taken out and
 * dead-lettered on the partner orders group's topic as `EXPORTS.PARKED_EVENT_EXPIRED` (the parked
 * payload and CloudEvents attributes as headers, with the original key and source position, so
 * `npm run deadletters -- replay` sends them again once the account is linked), shown on their
 * order, and counted in the retention line.
 * Any partner can park events under made-up account ids; this is what keeps that table bounded.
 */
@Injectable()
export class ParkedEventExpiry implements OnModuleInit {
  private readonly logger = new Logger(ParkedEventExpiry.name);
  private readonly deadLetters: DeadLetterPublisher;

  constructor(
    private readonly dataSource: DataSource,
    kafka: KafkaClient,
    private readonly intake: OrderIntake,
    private readonly retention: RetentionService,
    @Inject(SERVICE_ENV) private readonly env: ExportsEnv,
    metrics: PlatformMetrics,
  ) {
    this.deadLetters = new DeadLetterPublisher(kafka, PARTNER_ORDERS_GROUP, schemaOfService('exports', env), metrics);
  }

  onModuleInit(): void {
    this.retention.register({ name: 'parkedEventsExpired', run: () => this.expire() });
  }

  /** Expires every parked event past its TTL, a batch per transaction; the number expired. */
  async expire(): Promise<number> {
    await this.deadLetters.ensureTopic();
    let total = 0;
    for (;;) {
      const expired = await this.dataSource.transaction(async (manager) => {
        const rejected = await this.intake.expireParked(manager, this.env.PARKED_EVENT_TTL_DAYS, EXPIRY_BATCH);
        // Dead-lettered before the rows' removal commits: one the broker refuses for good is set aside
        // in this transaction (npm run deadletters -- list); a transient failure leaves them all parked, for the next run.
        await this.deadLetters.publish(
          rejected.map(({ event, code, reason }) => ({ topic: event.topic, partition: event.partition, offset: event.offset, message: event.message, code, reason })),
          manager,
        );
        return rejected.length;
      });
      total += expired;
      if (expired > 0) {
        this.logger.error(
          `${expired} parked event(s) expired after ${this.env.PARKED_EVENT_TTL_DAYS} days with their account never linked: dead-lettered as EXPORTS.PARKED_EVENT_EXPIRED ` +
            `(npm run deadletters -- list --code EXPORTS.PARKED_EVENT_EXPIRED; replay once the account is linked)`,
        );
      }
      if (expired < EXPIRY_BATCH) return total;
    }
  }
}
