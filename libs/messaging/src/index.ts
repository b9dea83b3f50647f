export * from './kafka/kafka-client';
export * from './messaging-tables.migration';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './consumer/inbound-event';
export * from './consumer/record-decoder';
export * from './consumer/dead-letter-publisher';
export * from './consumer/batch-consumer';
