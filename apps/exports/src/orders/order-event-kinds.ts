import {
  EventDefinition,
  OrderCancelled,
  OrderCustomsCleared,
  OrderDelivered,
  OrderPlaced,
  OrderReturned,
  OrderReturnedToOrigin,
  OrderShipped,
  PartnerOrderEventV1,
} from '@niryat/contracts';
import { HistoryEvent, HistoryLine, OrderEventKind } from './order-history';

const KIND_BY_TYPE = new Map<string, OrderEventKind>([
  [OrderPlaced.type, 'placed'],
  [OrderShipped.type, 'shipped'],
  [OrderCustomsCleared.type, 'customs-cleared'],
  [OrderDelivered.type, 'delivered'],
  [OrderCancelled.type, 'cancelled'],
  [OrderReturned.type, 'returned'],
  [OrderReturnedToOrigin.type, 'returned-to-origin'],
]);

export function kindOf(definition: EventDefinition): OrderEventKind {
  const kind = KIND_BY_TYPE.get(definition.type);
  if (!kind) throw new Error(`not a partner order event: ${definition.type}`);
  return kind;
}

/** The part of a partner event the state machine keeps in the order's history. */
export function toHistoryEvent(kind: OrderEventKind, payload: PartnerOrderEventV1 & { lines?: HistoryLine[] }): HistoryEvent {
  return {
    eventId: payload.eventId,
    kind,
    sequence: payload.sequence,
    occurredAt: payload.occurredAt,
    sellerAccountId: payload.sellerAccountId,
    currency: payload.currency,
    destinationCountry: payload.destinationCountry,
    ...(payload.lines ? { lines: payload.lines.map((l) => ({ ...l })) } : {}),
    ...('shippingBillNumber' in payload && payload.shippingBillNumber ? { shippingBillNumber: payload.shippingBillNumber } : {}),
    ...('shippingBillDate' in payload && payload.shippingBillDate ? { shippingBillDate: payload.shippingBillDate } : {}),
  } as HistoryEvent;
}
