import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { DeadLetterNotPublished } from './dead-letter-publisher';
import { isTransientFailure, isTransientKafkaError } from './transient-failures';

/** kafkajs' wrapping (its typings leave `cause` out). */
const around = (error: Error | string, cause: Error) => Object.assign(new KafkaJSNonRetriableError(error), { cause });
/** What a send throws while the broker is away: the producer's retrier gives up on the cluster's own retries, around the lost connection. */
const gaveUp = (cause: Error) => around(cause.message, cause);
const protocol = (type: string, retriable: boolean) => Object.assign(new KafkaJSProtocolError(type), { type, retriable });

describe('isTransientKafkaError', () => {
  it('retries a lost connection however kafkajs wrapped it, and a leader moving', () => {
    expect(isTransientKafkaError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe(true);
    // The producer's send while the broker restarts: not retriable on the outside, a lost connection inside.
    expect(isTransientKafkaError(gaveUp(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')))).toBe(true);
    expect(isTransientKafkaError(around('gave up', protocol('NOT_LEADER_FOR_PARTITION', true)))).toBe(true);
  });

  it('does not retry what the broker refuses for good, nor what is not Kafka', () => {
    expect(isTransientKafkaError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER', false))).toBe(false);
    expect(isTransientKafkaError(around('gave up', protocol('MESSAGE_TOO_LARGE', false)))).toBe(false);
    expect(isTransientKafkaError(new TypeError('payload.lines is undefined'))).toBe(false);
    expect(isTransientKafkaError(null)).toBe(false);
  });
});

describe('isTransientFailure', () => {
  it('never charges an event with dead letters the broker did not take, whatever the reason', () => {
    expect(isTransientFailure(new DeadLetterNotPublished(gaveUp(new KafkaJSConnectionError('Closed connection'))))).toBe(true);
    expect(isTransientFailure(new DeadLetterNotPublished(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER', false)))).toBe(true);
  });

  it('retries the database away for a moment, and nothing the event caused', () => {
    expect(isTransientFailure(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isTransientFailure(new Error('seller 42 breaks the handler'))).toBe(false);
  });
});
