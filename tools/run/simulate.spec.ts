import { PARTNER_ORDER_EVENTS, parsePayload } from '@niryat/contracts';
import { signPartnerRequest } from '@niryat/testing';
import { join } from 'node:path';
// The exports service's own state machine, pure: a simulated history must be one it accepts.
import { acceptEvent, HistoryEvent } from '../../apps/exports/src/orders/order-history';
import { kindOf, toHistoryEvent } from '../../apps/exports/src/orders/order-event-kinds';

interface Account {
  partner: 'amazon' | 'flipkart' | 'walmart';
  accountId: string;
  seller: string;
  hsCode: string;
}
interface PlannedEvent {
  at: number;
  kind: string;
  type: string;
  data: Record<string, unknown> & { eventId: string; sequence: number; lines?: { lineId: string; quantity: number }[] };
}
interface SimulateScript {
  planOrder(input: { account: Account; random: () => number; now: number }): { partner: string; orderId: string; events: PlannedEvent[] };
  signRequest(input: { keyId: string; secret: string; body: string; timestamp: number }): Record<string, string>;
  parseArgs(argv: string[], env?: Record<string, string>): Record<string, unknown>;
  demoAccounts(): Account[];
  seededRandom(seed: number): () => number;
}

// The plain-Node simulator (`npm run simulate`) must send what the contracts accept.
const script = require(join(__dirname, 'simulate.js')) as SimulateScript;
const DEFINITIONS = new Map(PARTNER_ORDER_EVENTS.map((d) => [d.type, d]));

describe('simulate: partner order events for the demo sellers', () => {
  const accounts = script.demoAccounts();
  const random = script.seededRandom(42);
  const orders = Array.from({ length: 600 }, (_, i) => script.planOrder({ account: accounts[i % accounts.length], random, now: Date.UTC(2026, 10, 21, 9, 0, i) }));
  const events = orders.flatMap((o) => o.events);

  it('covers every demo seller account and every lifecycle step', () => {
    expect(accounts.map((a) => `${a.partner}:${a.accountId}`)).toEqual(expect.arrayContaining(['flipkart:FK-MBH-7781', 'amazon:A2TKE8642IN']));
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['placed', 'shipped', 'customs-cleared', 'delivered', 'returned', 'returned-to-origin', 'cancelled']));
  });

  it('makes payloads that pass the contracts’ validation, type by type', () => {
    const failures = events.flatMap((event) => {
      const definition = DEFINITIONS.get(event.type);
      if (!definition) return [`${event.type}: unknown type`];
      const parsed = parsePayload(definition.payload, JSON.parse(JSON.stringify(event.data)));
      return parsed.ok ? [] : [`${event.type} ${event.data.eventId}: ${JSON.stringify(parsed.errors)}`];
    });
    expect(failures).toEqual([]);
  });

  it('gives each order a history the order state machine accepts, in sequence, returns within what shipped', () => {
    const ids = orders.flatMap((o) => o.events.map((e) => `${o.partner}:${e.data.eventId}`));
    expect(new Set(ids).size).toBe(ids.length);
    const refused = orders.flatMap((order) => {
      expect(order.events.map((e) => e.data.sequence)).toEqual(order.events.map((_, i) => i + 1));
      expect(order.events.map((e) => e.at)).toEqual([...order.events.map((e) => e.at)].sort((a, b) => a - b));
      let history: HistoryEvent[] = [];
      for (const event of order.events) {
        const definition = DEFINITIONS.get(event.type);
        const parsed = definition && parsePayload(definition.payload, JSON.parse(JSON.stringify(event.data)));
        if (!definition || !parsed?.ok) return [`${event.data.eventId}: invalid`];
        const accepted = acceptEvent(history, toHistoryEvent(kindOf(definition), parsed.payload as Parameters<typeof toHistoryEvent>[1]));
        if (!accepted.ok) return [`${order.orderId} ${event.kind}: ${accepted.reason}`];
        history = accepted.history;
      }
      return [];
    });
    expect(refused).toEqual([]);
  });

  it('signs a body as the README says, as the test library does', () => {
    const input = { keyId: 'pk_0123456789abcdef01234567', secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I', body: '{"events":[]}', timestamp: 1_790_000_000 };
    expect(script.signRequest(input)).toEqual(signPartnerRequest(input));
  });

  it('reads its flags and refuses bad ones', () => {
    expect(script.parseArgs([], { NIRYAT_EXPORTS_PORT: '4002' })).toMatchObject({ rate: 2, orders: undefined, exportsUrl: 'http://127.0.0.1:4002' });
    expect(script.parseArgs(['--rate', '0.5', '--orders=50'])).toMatchObject({ rate: 0.5, orders: 50 });
    expect(() => script.parseArgs(['--orders', '0'])).toThrow('--orders must be an integer from 1');
    expect(() => script.parseArgs(['--fast'])).toThrow('unknown option --fast');
  });
});
