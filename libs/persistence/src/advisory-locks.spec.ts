import { inKeyOrder } from './advisory-locks';

describe('inKeyOrder', () => {
  it("gives a map's values in the order of its keys, whatever the insertion order", () => {
    expect(inKeyOrder(new Map([['b|09', 2], ['*|09', 0], ['a|27', 1]]))).toEqual([0, 1, 2]);
    expect(inKeyOrder(new Map())).toEqual([]);
  });
});
