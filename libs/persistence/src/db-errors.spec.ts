import { isTransientDbError } from './db-errors';

describe('isTransientDbError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '08006' }], // connection failure
    [{ code: '57P01' }], // admin shutdown
    [{ code: '40001' }], // serialization failure
    [{ code: '40P01' }], // deadlock
    [{ code: '53300' }], // too many connections
    [{ code: '57014' }], // statement timeout
    [new Error('Connection terminated unexpectedly')],
  ])('retries %p', (error) => {
    expect(isTransientDbError(error)).toBe(true);
  });

  it.each([[{ code: '23505' }], [{ code: '22P02' }], [new TypeError('x is undefined')], [null], ['text']])('does not retry %p', (error) => {
    expect(isTransientDbError(error)).toBe(false);
  });
});
