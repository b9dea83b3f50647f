import { foldApprovals } from './approved-sellers.projection';

describe('foldApprovals', () => {
  it('counts each seller once in every programme it is approved for, per state', () => {
    const cells = foldApprovals([
      { stateCode: '09', programmes: ['flipkart-walmart-odop-up', 'walmart-vriddhi'] },
      { stateCode: '09', programmes: ['flipkart-walmart-odop-up'] },
      { stateCode: '06', programmes: ['walmart-vriddhi'] },
    ]);
    expect([...cells.values()]).toEqual([
      { programme: 'flipkart-walmart-odop-up', stateCode: '09', approvedSellers: 2 },
      { programme: 'walmart-vriddhi', stateCode: '09', approvedSellers: 1 },
      { programme: 'walmart-vriddhi', stateCode: '06', approvedSellers: 1 },
    ]);
  });

  it('returns no cells for no approvals', () => {
    expect(foldApprovals([]).size).toBe(0);
  });
});
