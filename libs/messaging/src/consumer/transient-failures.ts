import { isTransientDbError } from '@niryat/persistence';
import { DeadLetterNotPublished } from './dead-letter-publisher';

const TRANSIENT_KAFKA_NAMES = /^KafkaJS(ConnectionError|ConnectionClosedError|RequestTimeoutError|NumberOfRetriesExceeded|BrokerNotFound)$/;

/**
 * Kafka unreachable, restarting or moving a leader, however kafkajs wrapped it: kafkajs gives up on
 * a lost connection with a non-retriable error around it, so the causes count too (as kafkajs does
 * itself when it decides whether to restart a crashed consumer). A cause the broker refuses for
 * good (OUT_OF_ORDER_SEQUENCE_NUMBER, MESSAGE_TOO_LARGE) is not transient.
 */
export function isTransientKafkaError(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const { name, retriable, cause } = current as { name?: unknown; retriable?: unknown; cause?: unknown };
    if (retriable === true || TRANSIENT_KAFKA_NAMES.test(String(name ?? ''))) return true;
    if (cause === current) return false;
    current = cause;
  }
  return false;
}

/**
 * A failure of the infrastructure, not of the events being applied: the database or Kafka away
 * for a moment, or dead letters the broker did not take yet. The chunk is retried whole, with
 * back-off; it is never charged to an event.
 */
export function isTransientFailure(error: unknown): boolean {
  return error instanceof DeadLetterNotPublished || isTransientDbError(error) || isTransientKafkaError(error);
}
