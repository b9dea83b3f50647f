import { DiscoveryService } from '@nestjs/core';
import { BatchConsumerHost } from '../messaging/batch-consumer.host';

/** The service's consumers: every BatchConsumerHost among its providers. */
export function consumerHosts(discovery: DiscoveryService): BatchConsumerHost[] {
  return discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is BatchConsumerHost => instance instanceof BatchConsumerHost);
}
