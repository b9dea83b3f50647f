export * from './data-source-options';
export * from './db-errors';
export * from './advisory-locks';
export * from './query-logger';
