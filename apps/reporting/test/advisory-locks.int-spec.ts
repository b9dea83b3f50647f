import { lockKeys } from '@niryat/persistence';
import { testInfra } from '@niryat/testing';
import { DataSource } from 'typeorm';

/** lockKeys on the run's real PostgreSQL: what the reporting projections rely on to publish aggregates. */
describe('lockKeys (real PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: testInfra().databaseUrl, poolSize: 4 }).initialize();
  });
  afterAll(async () => dataSource?.destroy());

  it('makes a second transaction on an overlapping key wait for the first to commit, and not one on other keys', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));

    const first = dataSource.transaction(async (manager) => {
      await lockKeys(manager, 'test', ['b', 'a']);
      firstLocked();
      await firstHolds;
      order.push('first commits');
    });
    await locked;
    const other = dataSource.transaction(async (manager) => {
      await lockKeys(manager, 'test', ['c']);
      order.push('other keys locked');
    });
    await other;
    const second = dataSource.transaction(async (manager) => {
      await lockKeys(manager, 'test', ['a', 'z']);
      order.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual(['other keys locked']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['other keys locked', 'first commits', 'second locked']);
  });
});
