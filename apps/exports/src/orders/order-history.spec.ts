import { acceptEvent, HistoryEvent, OrderEventKind, viewOf } from './order-history';

const lines = [
  { lineId: 'L1', sku: 'BRASS-VASE', hsCode: '74198030', quantity: 4, unitPriceMinor: 2_500 },
  { lineId: 'L2', sku: 'BRASS-BOWL', hsCode: '74198030', quantity: 2, unitPriceMinor: 1_200 },
];

function ev(kind: OrderEventKind, sequence: number, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  const withLines = kind === 'placed' || kind === 'shipped' ? { lines } : {};
  return {
    eventId: `${kind}-${sequence}`,
    kind,
    sequence,
    occurredAt: `2026-03-0${sequence}T10:00:00Z`,
    sellerAccountId: 'FK-MBH-7781',
    currency: 'USD',
    destinationCountry: 'US',
    ...withLines,
    ...extra,
  };
}

/** Feeds events one by one in arrival order; returns the final history or the first refusal. */
function arrive(...events: HistoryEvent[]) {
  let history: HistoryEvent[] = [];
  for (const event of events) {
    const decision = acceptEvent(history, event);
    if (decision.ok === 'duplicate') continue;
    if (!decision.ok) return decision;
    history = decision.history;
  }
  return { ok: true as const, history, view: viewOf(history) };
}

describe('order history', () => {
  it('follows placed → shipped → customs cleared → delivered', () => {
    const result = arrive(ev('placed', 1), ev('shipped', 2), ev('customs-cleared', 3), ev('delivered', 4));
    expect(result.ok && result.view.status).toBe('delivered');
    expect(result.ok && result.view.shipment?.eventId).toBe('shipped-2');
  });

  it.each([
    ['shipped before placed', [ev('shipped', 2), ev('placed', 1)]],
    ['delivered before shipped', [ev('placed', 1), ev('delivered', 3), ev('shipped', 2)]],
    ['returned before delivered', [ev('placed', 1), ev('shipped', 2), ev('returned', 4, { lines: [{ lineId: 'L1', quantity: 1 }] }), ev('delivered', 3)]],
    ['everything backwards', [ev('delivered', 4), ev('customs-cleared', 3), ev('shipped', 2), ev('placed', 1)]],
  ])('tolerates %s and ends in the same state as in order', (_label, events) => {
    const shuffled = arrive(...events);
    const inOrder = arrive(...[...events].sort((a, b) => a.sequence - b.sequence));
    expect(shuffled.ok).toBe(true);
    expect(shuffled.ok && shuffled.history.map((e) => e.sequence)).toEqual(inOrder.ok && inOrder.history.map((e) => e.sequence));
    expect(shuffled.ok && shuffled.view).toEqual(inOrder.ok && inOrder.view);
  });

  it('holds a return that arrives before the shipment and values it once the shipment is known', () => {
    const early = arrive(ev('placed', 1), ev('returned', 4, { lines: [{ lineId: 'L2', quantity: 2 }] }));
    expect(early.ok && early.view.returns).toEqual([]);
    const later = arrive(ev('placed', 1), ev('returned', 4, { lines: [{ lineId: 'L2', quantity: 2 }] }), ev('shipped', 2));
    expect(later.ok && later.view.returns.map((r) => r.lines)).toEqual([[{ lineId: 'L2', quantity: 2 }]]);
  });

  it('returns what is left on a return to origin', () => {
    const result = arrive(ev('shipped', 2), ev('returned', 3, { lines: [{ lineId: 'L1', quantity: 1 }] }), ev('returned-to-origin', 4));
    expect(result.ok && result.view.returns.map((r) => r.lines)).toEqual([
      [{ lineId: 'L1', quantity: 1 }],
      [
        { lineId: 'L1', quantity: 3 },
        { lineId: 'L2', quantity: 2 },
      ],
    ]);
  });

  it.each([
    ['a second event with a used sequence number', [ev('placed', 1), ev('shipped', 1)], 'EXPORTS.SEQUENCE_CONFLICT', 'sequence 1'],
    ['another currency', [ev('placed', 1), ev('shipped', 2, { currency: 'EUR' })], 'EXPORTS.ORDER_FACTS_CHANGED', 'currency USD'],
    ['another seller account', [ev('placed', 1), ev('shipped', 2, { sellerAccountId: 'FK-OTHER' })], 'EXPORTS.ORDER_FACTS_CHANGED', 'sellerAccountId'],
    ['shipping after a cancellation', [ev('placed', 1), ev('cancelled', 2), ev('shipped', 3)], 'EXPORTS.IMPOSSIBLE_HISTORY', 'returned, not cancelled'],
    ['a cancellation after shipping', [ev('shipped', 2), ev('cancelled', 3)], 'EXPORTS.IMPOSSIBLE_HISTORY', 'returned, not cancelled'],
    ['delivered sequenced before shipped', [ev('delivered', 2), ev('shipped', 3)], 'EXPORTS.IMPOSSIBLE_HISTORY', 'comes after delivered'],
    ['shipping twice', [ev('shipped', 2), ev('shipped', 3, { eventId: 'again' })], 'EXPORTS.IMPOSSIBLE_HISTORY', 'shipped twice'],
    ['a return sequenced before the shipment', [ev('returned', 2, { lines: [{ lineId: 'L1', quantity: 1 }] }), ev('shipped', 3)], 'EXPORTS.IMPOSSIBLE_HISTORY', 'comes before shipped'],
    ['returning more than shipped', [ev('shipped', 2), ev('returned', 3, { lines: [{ lineId: 'L1', quantity: 3 }] }), ev('returned', 4, { lines: [{ lineId: 'L1', quantity: 2 }] })], 'EXPORTS.IMPOSSIBLE_HISTORY', 'more than the 4 that shipped'],
    ['a shipment smaller than what already came back', [ev('returned', 3, { lines: [{ lineId: 'L2', quantity: 5 }] }), ev('shipped', 2)], 'EXPORTS.IMPOSSIBLE_HISTORY', 'more than the 2 that shipped'],
    ['returning a line that never shipped', [ev('shipped', 2), ev('returned', 3, { lines: [{ lineId: 'L9', quantity: 1 }] })], 'EXPORTS.IMPOSSIBLE_HISTORY', 'did not ship'],
    ['a return to origin after delivery', [ev('shipped', 2), ev('delivered', 3), ev('returned-to-origin', 4)], 'EXPORTS.IMPOSSIBLE_HISTORY', 'cannot return to origin'],
  ])('refuses %s, naming why', (_label, events, code, reason) => {
    const result = arrive(...events);
    expect(result).toEqual({ ok: false, code, reason: expect.stringContaining(reason) });
  });

  it('knows an event it already holds (same id, same sequence) as a duplicate, and a different event at that sequence as a conflict', () => {
    const history = arrive(ev('placed', 1), ev('shipped', 2));
    if (history.ok !== true) throw new Error('history refused');
    expect(acceptEvent(history.history, ev('shipped', 2))).toEqual({ ok: 'duplicate', of: history.history[1] });
    expect(acceptEvent(history.history, ev('shipped', 2, { eventId: 'another-id' }))).toMatchObject({ ok: false, code: 'EXPORTS.SEQUENCE_CONFLICT' });
  });

  it('refuses only the event that makes the history impossible; the history before it stands', () => {
    const history = arrive(ev('placed', 1), ev('cancelled', 2));
    expect(history.ok).toBe(true);
    const refused = acceptEvent(history.ok ? history.history : [], ev('shipped', 3));
    expect(refused.ok).toBe(false);
    expect(history.ok && viewOf(history.history).status).toBe('cancelled');
  });
});
