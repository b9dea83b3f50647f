export * from './config/service-env';
export * from './http/domain-error';
export * from './http/error-body';
export * from './health/kafka-health.indicator';
export * from './messaging/messaging.providers';
export * from './logging/logging';
export * from './platform.module';
export * from './bootstrap';
