// What the benchmarks (`npm run bench:*`) share: their own Kafka and Postgres, CPU accounting,
// command-line flags and the printed report.
export * from './infra';
export * from './cpu';
export * from './flags';
export * from './report-format';
export * from './random';
export * from './steady-producer';
export * from './child-process';
export * from './naive-inbox.entity';
