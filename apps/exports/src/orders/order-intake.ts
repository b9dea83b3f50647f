import { Injectable, Logger } from '@nestjs/common';
import { findEventDefinition, MARKETPLACES, parsePayload, PartnerOrderEventV1, toKafkaHeaders, type Marketplace } from '@niryat/contracts';
import { forgetInboxEntries, HandlerOutcome, InboundEvent } from '@niryat/messaging';
import { KafkaMessage } from 'kafkajs';
import { inSavepoint, isTransientDbError } from '@niryat/persistence';
import { EntityManager } from 'typeorm';
import { PARTNER_ORDERS_GROUP } from './consumer-groups';
import { OrderProcessor, Rejection, ResolvedOrderEvent } from './order-processor';

type PartnerEvent = InboundEvent<PartnerOrderEventV1>;

interface ParkedRow {
  partner: string;
  event_id: string;
  event_type: string;
  attributes: PartnerEvent['attributes'];
  payload: unknown;
  source: { topic: string; partition: number; offset: string; key: string | null };
}

/**
 * The front of the order pipeline: checks who sent an event, finds the seller through the
 * marketplace account links, parks events of accounts not linked yet, refuses events about another
 * marketplace's seller, and hands the rest to the OrderProcessor. Parked events are released here
 * too, when onboarding links their account.
 */
/**
 * Transaction-scoped advisory locks on `<marketplace>:<account>` keys, taken in a fixed order so two
 * transactions never wait on each other in a cycle.
 */
export async function lockAccounts(manager: EntityManager, keys: string[], mode: 'shared' | 'exclusive'): Promise<void> {
  const unique = [...new Set(keys)].sort();
  if (unique.length === 0) return;
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await manager.query(`SELECT ${fn}(hashtext(k)) FROM unnest($1::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n`, [unique]);
}

@Injectable()
export class OrderIntake {
  private readonly logger = new Logger(OrderIntake.name);

  constructor(private readonly processor: OrderProcessor) {}

  async intake(manager: EntityManager, events: readonly PartnerEvent[]): Promise<HandlerOutcome> {
    const rejected: Rejection[] = [];
    const candidates: { event: PartnerEvent; partner: Marketplace }[] = [];
    for (const event of events) {
      const partner = event.attributes.source;
      if (!(MARKETPLACES as readonly string[]).includes(partner)) {
        rejected.push({ event, code: 'EXPORTS.UNKNOWN_PARTNER', reason: `ce_source '${partner}' is not a partner marketplace (${MARKETPLACES.join(', ')})` });
      } else if (event.attributes.id !== event.payload.eventId) {
        rejected.push({ event, code: 'EXPORTS.EVENT_ID_MISMATCH', reason: `ce_id '${event.attributes.id}' differs from payload eventId '${event.payload.eventId}'` });
      } else {
        candidates.push({ event, partner: partner as Marketplace });
      }
    }
    if (candidates.length === 0) return { rejected };

    // Shared locks on the accounts in play: a link being written for one of them waits for this
    // transaction, and this one waits for a link being written, so an event is never parked just
    // as its link is applied (which would leave it parked for good).
    await lockAccounts(manager, candidates.map((c) => `${c.partner}:${c.event.payload.sellerAccountId}`), 'shared');
    const links: { marketplace: string; account_id: string; seller_id: string }[] = await manager.query(
      `SELECT marketplace, account_id, seller_id FROM marketplace_accounts WHERE account_id = ANY($1::text[])`,
      [[...new Set(candidates.map((c) => c.event.payload.sellerAccountId))]],
    );
    const linked = new Map(links.map((l) => [`${l.marketplace}\u0000${l.account_id}`, l.seller_id]));
    const elsewhere = new Map(links.map((l) => [l.account_id, l.marketplace]));

    const resolved: ResolvedOrderEvent[] = [];
    const toPark: PartnerEvent[] = [];
    for (const { event, partner } of candidates) {
      const account = event.payload.sellerAccountId;
      const sellerId = linked.get(`${partner}\u0000${account}`);
      if (sellerId) resolved.push({ event, partner, sellerId });
      else if (elsewhere.has(account)) {
        rejected.push({
          event,
          code: 'EXPORTS.FOREIGN_SELLER_ACCOUNT',
          reason: `seller account ${account} is linked on ${elsewhere.get(account)}, not on ${partner}: a partner reports its own marketplace's sellers only`,
        });
      } else toPark.push(event);
    }
    await this.park(manager, toPark);
    rejected.push(...(await this.processor.apply(manager, resolved)));
    await this.recordRefusals(manager, candidates.map((c) => c.event), rejected);
    return { rejected };
  }

  /**
   * What the partner sees of this batch at GET /v1/orders/{partner}/{orderId}: each refused event
   * of a known partner with its code and reason; an event accepted or parked now clears an earlier
   * refusal of the same id (it was sent again, fixed).
   */
  private async recordRefusals(manager: EntityManager, candidates: readonly PartnerEvent[], rejected: readonly Rejection[]): Promise<void> {
    const refused = rejected.filter((r) => (MARKETPLACES as readonly string[]).includes(r.event.attributes.source));
    const refusedIds = new Set(refused.map((r) => `${r.event.attributes.source}\u0000${r.event.attributes.id}`));
    const cleared = candidates.filter((e) => !refusedIds.has(`${e.attributes.source}\u0000${e.attributes.id}`));
    if (cleared.length > 0) {
      await manager.query(`DELETE FROM refused_order_events r USING unnest($1::text[], $2::text[]) AS k(p, e) WHERE r.partner = k.p AND r.event_id = k.e`, [
        cleared.map((e) => e.attributes.source),
        cleared.map((e) => e.attributes.id),
      ]);
    }
    if (refused.length === 0) return;
    await manager.query(
      `INSERT INTO refused_order_events (partner, event_id, order_id, event_type, code, reason)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(partner text, event_id text, order_id text, event_type text, code text, reason text)
       ON CONFLICT (partner, event_id) DO UPDATE SET order_id = EXCLUDED.order_id, event_type = EXCLUDED.event_type, code = EXCLUDED.code,
         reason = EXCLUDED.reason, refused_at = now()`,
      [
        JSON.stringify(
          [...new Map(refused.map((r) => [`${r.event.attributes.source}\u0000${r.event.attributes.id}`, r])).values()].map((r) => ({
            partner: r.event.attributes.source,
            event_id: r.event.attributes.id,
            order_id: (r.event.payload as PartnerOrderEventV1).orderId,
            event_type: r.event.attributes.type,
            code: r.code,
            reason: r.reason,
          })),
        ),
      ],
    );
  }

  /**
   * Replays, in arrival order, the events parked for accounts that have just been linked, whichever
   * partner sent them: the linking marketplace's are applied, another marketplace's are refused as
   * `EXPORTS.FOREIGN_SELLER_ACCOUNT`, as they would have been had the link been known when they came
   * (which partner events and links arrive first is not ordered, so the verdict must not depend on it).
   */
  async releaseParked(manager: EntityManager, accounts: readonly { marketplace: string; accountId: string }[]): Promise<HandlerOutcome> {
    if (accounts.length === 0) return {};
    const rows: ParkedRow[] = await manager.query(
      `WITH released AS (
         DELETE FROM parked_events p WHERE p.seller_account_id = ANY($1::text[])
         RETURNING p.partner, p.event_id, p.event_type, p.attributes, p.payload, p.source, p.parked_at)
       SELECT * FROM released ORDER BY parked_at, event_id`,
      [[...new Set(accounts.map((a) => a.accountId))]],
    );
    const revived: PartnerEvent[] = [];
    const rejected: Rejection[] = [];
    for (const row of rows) {
      const event = this.revive(row);
      if ('reason' in event) rejected.push(event);
      else revived.push(event);
    }
    rejected.push(...(await this.releaseIsolated(manager, revived)));
    // Refusals made here, not by intake: the partner sees them on the order too.
    await this.recordRefusals(manager, [], rejected.filter((r) => r.code.startsWith('EXPORTS.PARKED_EVENT_')));
    // These were recorded in the partner orders group's inbox when parked: clear them there, so the
    // partner can send them again once the cause is fixed (the batch consumer clears its own group).
    await forgetInboxEntries(manager, PARTNER_ORDERS_GROUP, rejected.map((r) => r.event.attributes));
    return { rejected };
  }

  /**
   * The released events, in the link's transaction, so that none of them can undo the link: all
   * together under a savepoint, and if that fails for good, each under its own, the one that fails
   * refused with its reason (dead-lettered by the consumer of the link) and the others released.
   * A transient failure (the database away) still fails the whole transaction, to be retried.
   */
  private async releaseIsolated(manager: EntityManager, events: readonly PartnerEvent[]): Promise<Rejection[]> {
    if (events.length === 0) return [];
    try {
      return await inSavepoint(manager, 'release_parked', async () => (await this.intake(manager, events)).rejected ?? []);
    } catch (error) {
      if (isTransientDbError(error)) throw error;
    }
    const rejected: Rejection[] = [];
    for (const event of events) {
      try {
        rejected.push(...(await inSavepoint(manager, 'release_parked_one', async () => (await this.intake(manager, [event])).rejected ?? [])));
      } catch (error) {
        if (isTransientDbError(error)) throw error;
        const reason = `parked event ${event.attributes.source}/${event.attributes.id} could not be applied when its account was linked: ${(error as Error).message}`;
        this.logger.error(reason);
        rejected.push({ event, code: 'EXPORTS.PARKED_EVENT_FAILED', reason });
      }
    }
    return rejected;
  }

  /**
   * Takes out up to `limit` events parked more than `ttlDays` ago, each refused as
   * `EXPORTS.PARKED_EVENT_EXPIRED` (on its order, and returned for the caller to dead-letter in
   * this transaction) and forgotten by the partner orders group's inbox, so the dead letter can be
   * replayed once the account is linked.
   */
  async expireParked(manager: EntityManager, ttlDays: number, limit: number): Promise<Rejection[]> {
    const rows: (ParkedRow & { seller_account_id: string; parked_at: Date })[] = await manager.query(
      `WITH expired AS (
         DELETE FROM parked_events WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM parked_events WHERE parked_at < now() - make_interval(secs => $1::float8 * 86400) ORDER BY parked_at LIMIT $2 FOR UPDATE SKIP LOCKED))
         RETURNING partner, event_id, seller_account_id, event_type, attributes, payload, source, parked_at)
       SELECT * FROM expired ORDER BY parked_at, event_id`,
      [ttlDays, limit],
    );
    const rejected: Rejection[] = rows.map((row) => {
      const revived = this.revive(row);
      return {
        event: 'reason' in revived ? revived.event : revived,
        code: 'EXPORTS.PARKED_EVENT_EXPIRED',
        reason:
          `parked event ${row.partner}/${row.event_id} waited ${ttlDays} days (since ${new Date(row.parked_at).toISOString()}) for ${row.partner} account ` +
          `${row.seller_account_id} to be linked to a seller, and it never was: link the account in onboarding, then replay this dead letter`,
      };
    });
    if (rejected.length === 0) return [];
    await this.recordRefusals(manager, [], rejected);
    await forgetInboxEntries(manager, PARTNER_ORDERS_GROUP, rejected.map((r) => r.event.attributes));
    return rejected;
  }

  private async park(manager: EntityManager, events: readonly PartnerEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO parked_events (partner, event_id, seller_account_id, order_id, event_type, attributes, payload, source)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::jsonb[])
       ON CONFLICT (partner, event_id) DO NOTHING`,
      [
        events.map((e) => e.attributes.source),
        events.map((e) => e.attributes.id),
        events.map((e) => e.payload.sellerAccountId),
        events.map((e) => e.payload.orderId),
        events.map((e) => e.attributes.type),
        events.map((e) => JSON.stringify(e.attributes)),
        events.map((e) => JSON.stringify(e.payload)),
        events.map((e) => JSON.stringify({ topic: e.topic, partition: e.partition, offset: e.offset, key: e.key })),
      ],
    );
  }

  /** A parked event as the consumer first decoded it (validated again on the way back in). */
  /** The parked event as the consumer decoded it, or its refusal when it no longer decodes (rules tightened since it was parked). */
  private revive(row: ParkedRow): PartnerEvent | Rejection {
    const definition = findEventDefinition(row.event_type);
    const parsed = definition ? parsePayload(definition.payload, row.payload) : undefined;
    const message = {
      key: row.source.key === null ? null : Buffer.from(row.source.key),
      value: Buffer.from(JSON.stringify(row.payload)),
      offset: row.source.offset,
      timestamp: String(Date.now()),
      attributes: 0,
      headers: toKafkaHeaders(row.attributes),
    } as KafkaMessage;
    const event = {
      topic: row.source.topic,
      partition: row.source.partition,
      offset: row.source.offset,
      key: row.source.key,
      attributes: row.attributes,
      definition,
      payload: (parsed?.ok ? parsed.payload : row.payload) as PartnerOrderEventV1,
      message,
    } as PartnerEvent;
    if (definition && parsed?.ok) return event;
    const why = parsed && !parsed.ok ? parsed.errors.map((e) => `${e.field || '(payload)'}: ${e.message}`).join('; ') : `unknown type ${row.event_type}`;
    const reason = `parked event ${row.partner}/${row.event_id} no longer decodes as ${row.event_type}: ${why}`;
    this.logger.error(reason);
    return { event, code: 'EXPORTS.PARKED_EVENT_INVALID', reason };
  }
}
