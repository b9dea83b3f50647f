import { Controller, Get } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@niryat/auth';
import { ConsumerMembershipIndicator } from './consumer-membership.indicator';
import { ConsumerPositionsIndicator } from './consumer-positions.indicator';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { SetAsideHealthIndicator } from './outbox-health.indicator';
import { RetentionService } from '../retention/retention.service';

/**
 * `GET /health`: 200 only when the service's database and Kafka answer and every consumer's stored
 * positions fit the log; 503 with the failing part otherwise, with the set-aside records and the
 * last retention run beside them (for people and tools).
 * `GET /health/live` and `GET /health/ready`: the liveness and readiness probes (below).
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
    private readonly membership: ConsumerMembershipIndicator,
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

  /**
   * Liveness: the process answers HTTP. Never the database or Kafka: an outage of either must not
   * get every replica restarted, which cures nothing (the consumers and the relay wait it out).
   */
  @Get('live')
  @ApiExcludeEndpoint()
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: the database and Kafka answer, every consumer is a member of its group (holding its
   * partitions), and no stored position is in alarm; 503 naming the part that is not.
   */
  @Get('ready')
  @ApiExcludeEndpoint()
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3_000 }),
      () => this.kafka.check('kafka'),
      () => this.membership.check('consumers'),
      () => this.consumers.check('positions'),
    ]);
  }
}
