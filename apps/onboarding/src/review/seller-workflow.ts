/**
 * The review workflow as data: which action moves a seller from which states to which, and
 * whether it needs a reason. Everything else (HTTP, events, audit) asks this table.
 *
 *   submitted → under-review → approved | rejected
 *   approved → suspended → (reinstate) approved
 */
export const SELLER_STATUSES = ['submitted', 'under-review', 'approved', 'rejected', 'suspended'] as const;
export type SellerStatus = (typeof SELLER_STATUSES)[number];

export const REVIEW_ACTIONS = ['start-review', 'approve', 'reject', 'suspend', 'reinstate'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

interface TransitionRule {
  from: readonly SellerStatus[];
  to: SellerStatus;
  reasonRequired: boolean;
}

export const TRANSITIONS: Readonly<Record<ReviewAction, TransitionRule>> = Object.freeze({
  'start-review': { from: ['submitted'], to: 'under-review', reasonRequired: false },
  approve: { from: ['under-review'], to: 'approved', reasonRequired: false },
  reject: { from: ['under-review'], to: 'rejected', reasonRequired: true },
  suspend: { from: ['approved'], to: 'suspended', reasonRequired: true },
  reinstate: { from: ['suspended'], to: 'approved', reasonRequired: false },
});

export type TransitionResult =
  | { ok: true; from: SellerStatus; to: SellerStatus }
  | { ok: false; problem: 'illegal-transition'; current: SellerStatus; allowedActions: ReviewAction[] }
  | { ok: false; problem: 'reason-required' };

/** The actions possible from a state, for error messages and the API's `allowedActions`. */
export function allowedActions(current: SellerStatus): ReviewAction[] {
  return REVIEW_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(current));
}

export function decideTransition(current: SellerStatus, action: ReviewAction, reason?: string): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    return { ok: false, problem: 'illegal-transition', current, allowedActions: allowedActions(current) };
  }
  if (rule.reasonRequired && !reason?.trim()) return { ok: false, problem: 'reason-required' };
  return { ok: true, from: current, to: rule.to };
}

/** Only these sellers may enrol, hold marketplace accounts that count, and export. */
export function isActive(status: SellerStatus): boolean {
  return status === 'approved';
}
