export * from './test-env';
export * from './eventually';
export * from './topic-reader';
export * from './own-kafka';
export * from './own-postgres';
export * from './seller-fixtures';
export * from './partner-signing';
export * from './bench';
