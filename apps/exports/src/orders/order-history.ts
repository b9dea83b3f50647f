/**
 * The order state machine, as a pure function of the events received so far. Records may arrive
 * in any order (shipped before placed, delivered before shipped, a return before the delivery):
 * the history is kept sorted by the partner's per-order sequence number and judged as a whole.
 * A new event that would make the history impossible is refused with the reason, and the history
 * stays as it was.
 */

export type OrderEventKind = 'placed' | 'shipped' | 'customs-cleared' | 'delivered' | 'cancelled' | 'returned' | 'returned-to-origin';

export interface HistoryLine {
  lineId: string;
  sku?: string;
  hsCode?: string;
  quantity: number;
  unitPriceMinor?: number;
}

export interface HistoryEvent {
  eventId: string;
  kind: OrderEventKind;
  sequence: number;
  occurredAt: string;
  sellerAccountId: string;
  currency: string;
  destinationCountry: string;
  lines?: HistoryLine[];
  /** Shipments only. */
  shippingBillNumber?: string;
  shippingBillDate?: string;
}

/** An order's status is the kind of its last event in business order. */
export type OrderStatus = OrderEventKind;

export interface OrderView {
  status: OrderStatus | 'unknown';
  /** The shipment event, once known: the value recognised as an export. */
  shipment?: HistoryEvent;
  /** Returned quantity per line, by the return events in sequence order (RTO returns what is left). */
  returns: { event: HistoryEvent; lines: { lineId: string; quantity: number }[] }[];
}

/**
 * Whether an event joins the order's history: accepted (the new history and view), refused (why),
 * or already there (`duplicate`: the same event id at the same sequence, sent again after the
 * inbox forgot it), which changes nothing and is no refusal.
 */
export type Acceptance =
  | { ok: true; history: HistoryEvent[]; view: OrderView }
  | { ok: false; reason: string; code: string }
  | { ok: 'duplicate'; of: HistoryEvent };

/** Where each kind sits on the way out of the country; returns and cancellation are judged separately. */
const FORWARD_RANK: Partial<Record<OrderEventKind, number>> = { placed: 0, shipped: 1, 'customs-cleared': 2, delivered: 3 };
const AFTER_SHIPMENT: OrderEventKind[] = ['customs-cleared', 'delivered', 'returned', 'returned-to-origin'];

function refuse(code: string, reason: string): Acceptance {
  return { ok: false, code, reason };
}

/** Decides whether `next` can join `history`, and what the order then looks like. */
export function acceptEvent(history: readonly HistoryEvent[], next: HistoryEvent): Acceptance {
  const sameSequence = history.find((e) => e.sequence === next.sequence);
  if (sameSequence?.eventId === next.eventId) return { ok: 'duplicate', of: sameSequence };
  if (sameSequence) {
    return refuse('EXPORTS.SEQUENCE_CONFLICT', `sequence ${next.sequence} of this order is already event ${sameSequence.eventId} (${sameSequence.kind})`);
  }
  const first = history[0];
  if (first) {
    for (const field of ['sellerAccountId', 'currency', 'destinationCountry'] as const) {
      if (first[field] !== next[field]) {
        return refuse('EXPORTS.ORDER_FACTS_CHANGED', `the order was reported with ${field} ${first[field]}; this event says ${next[field]}`);
      }
    }
  }
  const sorted = [...history, next].sort((a, b) => a.sequence - b.sequence);
  const problem = impossibility(sorted);
  if (problem) return refuse('EXPORTS.IMPOSSIBLE_HISTORY', problem);
  return { ok: true, history: sorted, view: viewOf(sorted) };
}

/** Why a sorted history cannot have happened, or undefined when it can. */
export function impossibility(sorted: readonly HistoryEvent[]): string | undefined {
  const describe = (e: HistoryEvent) => `${e.kind} (sequence ${e.sequence})`;
  const shipments = sorted.filter((e) => e.kind === 'shipped');
  if (shipments.length > 1) return `the order shipped twice: ${shipments.map(describe).join(' and ')}`;
  const shipment = shipments[0];

  let furthest: HistoryEvent | undefined;
  for (const event of sorted) {
    const rank = FORWARD_RANK[event.kind];
    if (rank === undefined) continue;
    if (furthest && (FORWARD_RANK[furthest.kind] as number) > rank) return `${describe(event)} comes after ${describe(furthest)}`;
    furthest = event;
  }

  const cancellation = sorted.find((e) => e.kind === 'cancelled');
  if (cancellation) {
    const afterShipping = sorted.find((e) => e.kind === 'shipped' || AFTER_SHIPMENT.includes(e.kind));
    if (afterShipping) return `${describe(cancellation)} and ${describe(afterShipping)}: a shipped order is returned, not cancelled`;
  }

  const rto = sorted.find((e) => e.kind === 'returned-to-origin');
  if (rto) {
    const delivered = sorted.find((e) => e.kind === 'delivered');
    if (delivered) return `${describe(delivered)} and ${describe(rto)}: a delivered order cannot return to origin`;
    const later = sorted.find((e) => e.sequence > rto.sequence && e.kind === 'returned');
    if (later) return `${describe(later)} after ${describe(rto)}: everything already came back`;
  }

  if (shipment) {
    for (const event of sorted.filter((e) => e.kind === 'returned' || e.kind === 'returned-to-origin')) {
      if (event.sequence < shipment.sequence) return `${describe(event)} comes before ${describe(shipment)}`;
    }
    const shipped = new Map((shipment.lines ?? []).map((l) => [l.lineId, l.quantity]));
    const returned = new Map<string, number>();
    for (const event of sorted.filter((e) => e.kind === 'returned')) {
      for (const line of event.lines ?? []) {
        if (!shipped.has(line.lineId)) return `${describe(event)} returns line ${line.lineId}, which did not ship`;
        const total = (returned.get(line.lineId) ?? 0) + line.quantity;
        if (total > (shipped.get(line.lineId) as number)) {
          return `${describe(event)} brings returns of line ${line.lineId} to ${total}, more than the ${shipped.get(line.lineId)} that shipped`;
        }
        returned.set(line.lineId, total);
      }
    }
  }
  return undefined;
}

/** The order as its (possible) history says: status, the shipment, and what came back. */
export function viewOf(sorted: readonly HistoryEvent[]): OrderView {
  const last = sorted[sorted.length - 1];
  const shipment = sorted.find((e) => e.kind === 'shipped');
  const returns: OrderView['returns'] = [];
  if (shipment) {
    const remaining = new Map((shipment.lines ?? []).map((l) => [l.lineId, l.quantity]));
    for (const event of sorted) {
      if (event.kind === 'returned') {
        const lines = (event.lines ?? []).map((l) => ({ lineId: l.lineId, quantity: l.quantity }));
        for (const l of lines) remaining.set(l.lineId, (remaining.get(l.lineId) ?? 0) - l.quantity);
        returns.push({ event, lines });
      } else if (event.kind === 'returned-to-origin') {
        const lines = [...remaining.entries()].filter(([, q]) => q > 0).map(([lineId, quantity]) => ({ lineId, quantity }));
        for (const l of lines) remaining.set(l.lineId, 0);
        returns.push({ event, lines });
      }
    }
  }
  return { status: last ? (last.kind as OrderStatus) : 'unknown', shipment, returns };
}
