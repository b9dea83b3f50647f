import { KafkaJSConnectionError, KafkaJSLockTimeout, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { isTransientKafkaError } from './batch-consumer';

/** A Kafka error inside a chunk's transaction: retried (the broker's condition), or not (refused for good, or not Kafka's). */
describe('isTransientKafkaError', () => {
  const protocol = (type: string, retriable: boolean) => Object.assign(new KafkaJSProtocolError(type), { type, retriable });
  const gaveUp = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause.message), { cause });

  it('retries what a restarting broker throws, however kafkajs wraps it', () => {
    expect(isTransientKafkaError(new KafkaJSConnectionError('Closed connection'))).toBe(true);
    expect(isTransientKafkaError(new (KafkaJSLockTimeout as unknown as new (message: string) => Error)('Timeout while acquiring lock'))).toBe(true);
    // The producer gave up: a non-retriable error around a lost connection is still the broker's condition.
    expect(isTransientKafkaError(gaveUp(new KafkaJSConnectionError('Closed connection')))).toBe(true);
    expect(isTransientKafkaError(protocol('NOT_LEADER_FOR_PARTITION', true))).toBe(true);
  });

  it("does not retry what the broker refuses for good, nor an error that is not Kafka's", () => {
    expect(isTransientKafkaError(protocol('MESSAGE_TOO_LARGE', false))).toBe(false);
    expect(isTransientKafkaError(gaveUp(protocol('TOPIC_AUTHORIZATION_FAILED', false)))).toBe(false);
    expect(isTransientKafkaError(new TypeError('payload.lines is undefined'))).toBe(false);
    expect(isTransientKafkaError(null)).toBe(false);
  });
});
