import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { consumerHosts } from './consumer-hosts';

/**
 * Down while any consumer of the service holds a partition whose stored position does not fit
 * the log (see LogPositions): group, topic, partition, both offsets and the remedy, per partition.
 */
@Injectable()
export class ConsumerPositionsIndicator {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'consumers') {
    const indicator = this.indicators.check(key);
    const problems = consumerHosts(this.discovery).flatMap((host) => host.consumer.positionProblems());
    if (problems.length === 0) return indicator.up();
    return indicator.down({
      message: `${problems.length} partition(s) not applied: their stored position does not fit the log`,
      partitions: problems.map(({ group, topic, partition, kind, storedOffset, logStart, logEnd, message }) => ({ group, topic, partition, kind, storedOffset, logStart, logEnd, message })),
    });
  }
}
