// What the benchmark (apps/bench) builds on: the simulator's world, order stream and truth, the
// platform launcher, and verify.
export * from './platform';
export * from './random';
export * from './world';
export * from './orders';
export * from './truth';
export * from './simulation';
export * from './verify';
export * from './stack';
export * from './views-truth';
