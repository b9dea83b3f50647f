import { allowedActions, decideTransition, REVIEW_ACTIONS, SELLER_STATUSES, SellerStatus, ReviewAction } from './seller-workflow';

describe('seller review workflow', () => {
  const legal: [SellerStatus, ReviewAction, SellerStatus][] = [
    ['submitted', 'start-review', 'under-review'],
    ['under-review', 'approve', 'approved'],
    ['under-review', 'reject', 'rejected'],
    ['approved', 'suspend', 'suspended'],
    ['suspended', 'reinstate', 'approved'],
  ];

  it.each(legal)('%s --%s--> %s', (from, action, to) => {
    expect(decideTransition(from, action, 'a reason')).toEqual({ ok: true, from, to });
  });

  it('refuses every other (state, action) pair and names the allowed actions', () => {
    const legalPairs = new Set(legal.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of SELLER_STATUSES) {
      for (const action of REVIEW_ACTIONS) {
        if (legalPairs.has(`${from}/${action}`)) continue;
        expect(decideTransition(from, action, 'a reason')).toEqual({
          ok: false,
          problem: 'illegal-transition',
          current: from,
          allowedActions: allowedActions(from),
        });
        refused++;
      }
    }
    expect(refused).toBe(SELLER_STATUSES.length * REVIEW_ACTIONS.length - legal.length);
  });

  it('requires a reason to reject and to suspend, not to approve or reinstate', () => {
    expect(decideTransition('under-review', 'reject', '  ')).toEqual({ ok: false, problem: 'reason-required' });
    expect(decideTransition('approved', 'suspend')).toEqual({ ok: false, problem: 'reason-required' });
    expect(decideTransition('under-review', 'approve').ok).toBe(true);
    expect(decideTransition('suspended', 'reinstate').ok).toBe(true);
  });

  it('makes rejected final', () => {
    expect(allowedActions('rejected')).toEqual([]);
    expect(allowedActions('submitted')).toEqual(['start-review']);
  });
});
