import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@niryat/auth';
import { ConsumerPositionsIndicator } from './consumer-positions.indicator';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { SetAsideHealthIndicator } from './outbox-health.indicator';
import { RetentionService } from '../retention/retention.service';

/**
 * 200 only when the service's database and Kafka answer and every consumer's stored positions fit
 * the log; 503 with the failing part otherwise.
 * Public: load balancers and probes carry no credentials.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly consumers: ConsumerPositionsIndicator,
    private readonly setAside: SetAsideHealthIndicator,
    private readonly retention: RetentionService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3_000 }),
      () => this.kafka.check('kafka'),
      () => this.consumers.check('consumers'),
      () => this.setAside.check('setAside'),
      // Reported, never down: a failed pruning run is retried at the next and is no outage.
      () =>
        this.indicators.check('retention').up({
          ...(this.retention.last ? { lastRun: this.retention.last } : { lastRun: null }),
          ...(this.retention.nextRunAt ? { nextRunAt: this.retention.nextRunAt } : { off: true }),
        }),
    ]);
  }
}
