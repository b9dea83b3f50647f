import { MessagingConfig } from '@niryat/messaging';
import { ServiceEnv } from './service-env';

/** The Kafka client settings of a service, from its validated environment. */
export function messagingConfigOf(name: string, env: ServiceEnv): MessagingConfig {
  return {
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: `niryat-${name}`,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
  };
}
