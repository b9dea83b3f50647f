import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { consumerHosts } from './consumer-hosts';

/**
 * Down while any consumer of the service is not a member of its Kafka group: starting, rejoining
 * after a rebalance, crashed or stopped. Each is named with its state and since when, and the
 * partitions of the members are listed (a member may hold none: more members than partitions).
 */
@Injectable()
export class ConsumerMembershipIndicator {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'consumers') {
    const indicator = this.indicators.check(key);
    const groups = consumerHosts(this.discovery).map((host) => host.consumer.membership());
    const described = Object.fromEntries(
      groups.map(({ group, state, since, assignment, error }) => [
        group,
        { state, since: since.toISOString(), partitions: Object.values(assignment).reduce((n, p) => n + p.length, 0), ...(error ? { error } : {}) },
      ]),
    );
    const waiting = groups.filter((g) => g.state !== 'member');
    if (waiting.length === 0) return indicator.up({ groups: described });
    return indicator.down({ message: `not a member of its Kafka group yet: ${waiting.map((g) => `${g.group} (${g.state})`).join(', ')}`, groups: described });
  }
}
