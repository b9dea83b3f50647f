import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { deadLetterTopicFor, type Marketplace, partnerOrderKey, partnerOrdersTopic, toKafkaHeaders, Topics } from '@niryat/contracts';
import { eventually, readWholeTopic, sellerRegistration, signPartnerRequest, testInfra, type ReadRecord } from '@niryat/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';
import { http, PlatformStack } from './platform-stack';

// Demo reference rates (libs/money seed) in force in March 2026: INR per unit.
const USD_INR = '89.8750';
const EUR_INR = '105.5582';

/** Independent of libs/money: amount × a / b, rounded half to even, all as exact integers. */
function convert(amountMinor: bigint, fromInrPerUnit: string, toInrPerUnit: string): bigint {
  const scaled = (rate: string) => {
    const [whole, fraction = ''] = rate.split('.');
    return { units: BigInt(whole + fraction), scale: 10n ** BigInt(fraction.length) };
  };
  const from = scaled(fromInrPerUnit);
  const to = scaled(toInrPerUnit);
  const numerator = amountMinor * from.units * to.scale;
  const denominator = from.scale * to.units;
  const quotient = numerator / denominator;
  const twice = 2n * (numerator % denominator);
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

interface OrderBody {
  status: string;
  history: { sequence: number; kind: string }[];
  export: { valueMinor: string; valueUsdMinor: string; valueInrMinor: string; shipmentDate: string; fxRate: { inrPerUnit: string } } | null;
  adjustments: { reason: string; valueMinor: string; valueUsdMinor: string; valueInrMinor: string }[];
}

const LINES = [
  { lineId: 'L1', sku: 'BRASS-VASE-12', hsCode: '74198030', quantity: 4, unitPriceMinor: 2_500 },
  { lineId: 'L2', sku: 'BRASS-BOWL-06', hsCode: '74198030', quantity: 2, unitPriceMinor: 1_200 },
];
const ORDER_MINOR = 4 * 2_500 + 2 * 1_200;

describe('exports pipeline (partner events through real Kafka into exports, onboarding links, DLQ)', () => {
  const stack = new PlatformStack();
  const db = new Client({ connectionString: testInfra().databaseUrl });
  const kafka = new Kafka({ clientId: 'e2e-partner', brokers: testInfra().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  let producer: Producer;
  const sellers: Record<'a' | 'b', string> = { a: '', b: '' };
  const exportsSchema = () => stack.schemaOf('exports');

  function order(kind: string, orderId: string, sequence: number, extra: Record<string, unknown> = {}) {
    const withLines = kind === 'placed' || kind === 'shipped' ? { lines: LINES } : {};
    return {
      type: `niryat.partner.order.${kind}.v1`,
      payload: {
        eventId: `${orderId}-${kind}-${sequence}`,
        orderId,
        sequence,
        occurredAt: `2026-03-${String(10 + sequence).padStart(2, '0')}T06:30:00.000Z`,
        sellerAccountId: 'FK-A-1',
        destinationCountry: 'US',
        currency: 'USD',
        ...withLines,
        ...extra,
      } as Record<string, unknown>,
    };
  }

  /** Sends as `partner` (its ce_source and key) on the orders topic of `onTopicOf`: the partner's own unless a test forges. */
  async function produce(partner: string, events: { type: string; payload: Record<string, unknown> }[], headers: Record<string, string> = {}, onTopicOf: Marketplace = partner as Marketplace) {
    await producer.send({
      topic: stack.topic(partnerOrdersTopic(onTopicOf)),
      messages: events.map(({ type, payload }) => ({
        key: partnerOrderKey(partner, String(payload.orderId)),
        value: JSON.stringify(payload),
        headers: { ...toKafkaHeaders({ id: String(payload.eventId), type, source: partner, time: String(payload.occurredAt) }), ...headers },
      })),
    });
  }

  async function orderView(partner: string, orderId: string, until: (o: OrderBody) => boolean): Promise<OrderBody> {
    return eventually(async () => {
      const answer = await http<OrderBody>('GET', `${stack.urls.exports}/v1/orders/${partner}/${orderId}`, undefined, stack.token('operator'));
      expect(answer.status).toBe(200);
      expect(until(answer.body)).toBe(true);
      return answer.body;
    });
  }

  /** `npm run deadletters -- …` against this run's Kafka and PostgreSQL: its output. */
  async function deadlettersCli(...args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'libs/messaging/src/admin/deadletters-cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: testInfra().databaseUrl, KAFKA_BROKERS: testInfra().kafkaBrokers },
      timeout: 120_000,
    });
    return stdout;
  }

  async function deadLetters(where: (r: ReadRecord) => boolean, count: number): Promise<ReadRecord[]> {
    return eventually(async () => {
      const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(deadLetterTopicFor('exports.partner-orders')))).filter(where);
      expect(records).toHaveLength(count);
      return records;
    });
  }

  async function onboardSeller(accounts: [string, string][]): Promise<string> {
    const onboarding = `${stack.urls.onboarding}/v1/sellers`;
    const created = await http<{ id: string }>('POST', onboarding, sellerRegistration({ programmes: ['flipkart-walmart-odop-up'] }), stack.token('registrant'));
    await http('POST', `${onboarding}/${created.body.id}/start-review`, {}, stack.token('reviewer'));
    await http('POST', `${onboarding}/${created.body.id}/approve`, {}, stack.token('reviewer'));
    // Enrolled since the start of 2026 (a reviewer records it): orders shipped from then count in ODOP, earlier ones in no programme.
    const enrolled = await http('POST', `${onboarding}/${created.body.id}/enrolments`, { programmeId: 'flipkart-walmart-odop-up', enrolledSince: '2026-01-01' }, stack.token('reviewer'));
    expect(enrolled.status).toBe(201);
    for (const [marketplace, accountId] of accounts) await linkAccount(created.body.id, marketplace, accountId);
    return created.body.id;
  }

  async function linkAccount(sellerId: string, marketplace: string, accountId: string) {
    const linked = await http('POST', `${stack.urls.onboarding}/v1/sellers/${sellerId}/marketplace-accounts`, { marketplace, accountId }, stack.token('operator'));
    expect(linked.status).toBe(201);
  }

  async function linkedInExports(accounts: string[]) {
    await eventually(async () => {
      const { rows } = await db.query(`SELECT account_id FROM "${exportsSchema()}".marketplace_accounts WHERE account_id = ANY($1::text[])`, [accounts]);
      expect(rows).toHaveLength(accounts.length);
    });
  }

  beforeAll(async () => {
    stack.withEnv('exports', { PARTNER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    await stack.start();
    await db.connect();
    producer = kafka.producer();
    await producer.connect();
    sellers.a = await onboardSeller([
      ['flipkart', 'FK-A-1'],
      ['amazon', 'AMZ-A-1'],
    ]);
    sellers.b = await onboardSeller([['flipkart', 'FK-B-1']]);
    await linkedInExports(['FK-A-1', 'AMZ-A-1', 'FK-B-1']);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await db.end();
    await stack.stop();
  });

  it('recognises export value once when the order ships, in USD and INR at the rate of the shipment day, whatever is resent', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const shipped = order('shipped', id, 2, { shippingBillNumber: '4412907', shippingBillDate: '2026-03-12' });
    await produce('flipkart', [order('placed', id, 1), shipped, shipped, order('delivered', id, 3)]);
    await produce('flipkart', [shipped]); // a partner resending, later

    const view = await orderView('flipkart', id, (o) => o.status === 'delivered');
    expect(view.history.map((h) => h.kind)).toEqual(['placed', 'shipped', 'delivered']);
    expect(view.export).toMatchObject({
      shipmentDate: '2026-03-12',
      valueMinor: String(ORDER_MINOR),
      valueUsdMinor: String(ORDER_MINOR),
      valueInrMinor: String(convert(BigInt(4 * 2_500), USD_INR, '1') + convert(BigInt(2 * 1_200), USD_INR, '1')),
    });
    expect(Number(view.export?.fxRate.inrPerUnit)).toBe(Number(USD_INR)); // the rate used is kept with the export
    const recorded = await eventually(async () => {
      const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(Topics.exports))).filter(
        (r) => r.headers.ce_type === 'niryat.exports.export.recorded.v1' && JSON.parse(r.value ?? '{}').orderId === id,
      );
      expect(records).toHaveLength(1);
      return records[0];
    });
    expect(recorded.key).toBe(sellers.a);
    expect(JSON.parse(recorded.value ?? '{}')).toMatchObject({
      partner: 'flipkart',
      sellerId: sellers.a,
      stateCode: '09',
      programmes: ['flipkart-walmart-odop-up'],
      destinationCountry: 'US',
      shippingBillNumber: '4412907',
      valueUsdMinor: ORDER_MINOR,
      lines: [expect.objectContaining({ lineId: 'L1', hsCode: '74198030', quantity: 4, valueMinor: 10_000 }), expect.objectContaining({ lineId: 'L2' })],
    });
  });

  it('stamps an export with the programmes the seller was enrolled in on its shipment day, whenever the event arrives', async () => {
    const before = `OD-${randomUUID().slice(0, 8)}`;
    const onTheDay = `OD-${randomUUID().slice(0, 8)}`;
    await produce('flipkart', [
      order('shipped', before, 1, { shippingBillNumber: '4412911', shippingBillDate: '2025-12-31' }),
      order('shipped', onTheDay, 1, { shippingBillNumber: '4412912', shippingBillDate: '2026-01-01' }),
    ]);
    const programmesOf = await eventually(async () => {
      const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(Topics.exports)))
        .filter((r) => r.headers.ce_type === 'niryat.exports.export.recorded.v1')
        .map((r) => JSON.parse(r.value ?? '{}') as { orderId: string; programmes: string[] });
      const found = new Map(records.filter((r) => r.orderId === before || r.orderId === onTheDay).map((r) => [r.orderId, r.programmes]));
      expect(found.size).toBe(2);
      return found;
    });
    // Enrolled since 2026-01-01: the order shipped the day before counts in no programme.
    expect([programmesOf.get(before), programmesOf.get(onTheDay)]).toEqual([[], ['flipkart-walmart-odop-up']]);
  });

  it.each([
    ['shipped before placed', ['shipped:2', 'placed:1', 'delivered:3'], 'delivered'],
    ['delivered before shipped', ['placed:1', 'delivered:3', 'shipped:2'], 'delivered'],
    ['returned before delivered', ['placed:1', 'shipped:2', 'returned:4', 'delivered:3'], 'returned'],
  ])('tolerates %s', async (_label, arrival, status) => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const events = arrival.map((step) => {
      const [kind, sequence] = step.split(':');
      return order(kind, id, Number(sequence), kind === 'returned' ? { lines: [{ lineId: 'L1', quantity: 1 }] } : {});
    });
    for (const event of events) await produce('flipkart', [event]); // one record at a time, in this arrival order
    const view = await orderView('flipkart', id, (o) => o.history.length === events.length);
    expect(view.status).toBe(status);
    expect(view.history.map((h) => h.sequence)).toEqual([...events].map((e) => e.payload.sequence).sort());
    expect(view.export?.valueUsdMinor).toBe(String(ORDER_MINOR));
    const returned = arrival.includes('returned:4');
    expect(view.adjustments).toEqual(returned ? [expect.objectContaining({ reason: 'return', valueMinor: '-2500', valueUsdMinor: '-2500' })] : []);
  });

  it('recognises nothing for an order cancelled before shipping, and reverses everything on a return to origin', async () => {
    const cancelled = `OD-${randomUUID().slice(0, 8)}`;
    await produce('flipkart', [order('placed', cancelled, 1), order('cancelled', cancelled, 2, { reason: 'buyer changed mind' })]);
    const view = await orderView('flipkart', cancelled, (o) => o.status === 'cancelled');
    expect(view.export).toBeNull();

    const rto = `OD-${randomUUID().slice(0, 8)}`;
    await produce('flipkart', [order('placed', rto, 1), order('shipped', rto, 2), order('returned', rto, 3, { lines: [{ lineId: 'L2', quantity: 1 }] }), order('returned-to-origin', rto, 4)]);
    const back = await orderView('flipkart', rto, (o) => o.adjustments.length === 2);
    const net = (field: 'valueMinor' | 'valueUsdMinor' | 'valueInrMinor') =>
      BigInt(back.export?.[field] ?? 0) + back.adjustments.reduce((sum, a) => sum + BigInt(a[field]), 0n);
    expect([net('valueMinor'), net('valueUsdMinor'), net('valueInrMinor')]).toEqual([0n, 0n, 0n]);
    expect(back.adjustments.map((a) => a.reason)).toEqual(['return', 'return-to-origin']);
  });

  it('never reverses more than shipped when a return sequenced before a return to origin arrives after it', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    await produce('flipkart', [order('placed', id, 1), order('shipped', id, 2), order('returned-to-origin', id, 5)]);
    await orderView('flipkart', id, (o) => o.adjustments.length === 1);
    await produce('flipkart', [order('returned', id, 4, { lines: [{ lineId: 'L1', quantity: 1 }] })]);
    const view = await orderView('flipkart', id, (o) => o.history.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await orderView('flipkart', id, () => true);
    expect(after.adjustments).toHaveLength(1); // the return-to-origin already took everything back
    expect(BigInt(view.export?.valueMinor ?? 0) + after.adjustments.reduce((sum, a) => sum + BigInt(a.valueMinor), 0n)).toBe(0n);
  });

  it('converts another currency to USD and INR at that day\'s reference rates', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const eurLines = [{ lineId: 'E1', sku: 'CARPET-3X5', hsCode: '57011010', quantity: 3, unitPriceMinor: 19_999 }];
    await produce('amazon', [order('shipped', id, 1, { currency: 'EUR', destinationCountry: 'DE', sellerAccountId: 'AMZ-A-1', lines: eurLines })]);
    const view = await orderView('amazon', id, (o) => o.export !== null);
    const amount = 3n * 19_999n;
    expect(view.export).toMatchObject({
      valueMinor: String(amount),
      valueUsdMinor: String(convert(amount, EUR_INR, USD_INR)),
      valueInrMinor: String(convert(amount, EUR_INR, '1')),
    });
  });

  it('parks events of an account not linked yet, lists them for operators, and applies them when the link arrives', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    await produce('flipkart', [order('placed', id, 1, { sellerAccountId: 'FK-NEW-9' }), order('shipped', id, 2, { sellerAccountId: 'FK-NEW-9' })]);
    const parked = await eventually(async () => {
      const answer = await http<{ items: { eventId: string; orderId: string }[]; accounts: { sellerAccountId: string; events: number }[] }>(
        'GET',
        `${stack.urls.exports}/v1/parked-events?sellerAccountId=FK-NEW-9`,
        undefined,
        stack.token('operator'),
      );
      expect(answer.body.items).toHaveLength(2);
      return answer.body;
    });
    expect(parked.accounts).toEqual([expect.objectContaining({ sellerAccountId: 'FK-NEW-9', events: 2 })]);
    expect((await http('GET', `${stack.urls.exports}/v1/parked-events`, undefined, stack.token('reviewer'))).status).toBe(403);

    await linkAccount(sellers.b, 'flipkart', 'FK-NEW-9');
    const view = await orderView('flipkart', id, (o) => o.export !== null);
    expect(view.status).toBe('shipped');
    const after = await http<{ total: number }>('GET', `${stack.urls.exports}/v1/parked-events?sellerAccountId=FK-NEW-9`, undefined, stack.token('operator'));
    expect(after.body.total).toBe(0);
  });

  it('refuses a parked event of another marketplace once its account is linked: the verdict does not depend on which came first', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const account = `FK-LATE-${randomUUID().slice(0, 6)}`;
    // Amazon reports a Flipkart account before exports has heard of its link: parked, not yet refused.
    await produce('amazon', [order('placed', id, 1, { sellerAccountId: account })]);
    await eventually(async () => {
      const answer = await http<{ total: number }>('GET', `${stack.urls.exports}/v1/parked-events?sellerAccountId=${account}`, undefined, stack.token('operator'));
      expect(answer.body.total).toBe(1);
    });
    await linkAccount(sellers.b, 'flipkart', account);
    const [dead] = await eventually(async () => {
      const records = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(deadLetterTopicFor('exports.onboarding-events')))).filter((r) => r.key === `amazon:${id}`);
      expect(records).toHaveLength(1);
      return records;
    });
    expect(dead.headers).toMatchObject({ niryat_dlq_code: 'EXPORTS.FOREIGN_SELLER_ACCOUNT', niryat_dlq_reason: expect.stringContaining(`linked on flipkart, not on amazon`) });
    const after = await http<{ total: number }>('GET', `${stack.urls.exports}/v1/parked-events?sellerAccountId=${account}`, undefined, stack.token('operator'));
    expect(after.body.total).toBe(0);
  });

  it('releases the parked events of a newly linked account one by one: one that cannot be applied never undoes the link nor holds the others', async () => {
    const good = `OD-${randomUUID().slice(0, 8)}`;
    const huge = `OD-${randomUUID().slice(0, 8)}`;
    const leap = `OD-${randomUUID().slice(0, 8)}`;
    const account = `FK-POISON-${randomUUID().slice(0, 4)}`;
    await produce('flipkart', [
      order('placed', good, 1, { sellerAccountId: account }),
      // A value past 2^53 minor units: refused when valued, with its reason.
      order('shipped', huge, 1, { sellerAccountId: account, lines: [{ ...LINES[0], quantity: 1_000_000, unitPriceMinor: 2 ** 52 }] }),
      order('shipped', good, 2, { sellerAccountId: account }),
    ]);
    await eventually(async () => {
      const answer = await http<{ total: number }>('GET', `${stack.urls.exports}/v1/parked-events?sellerAccountId=${account}`, undefined, stack.token('operator'));
      expect(answer.body.total).toBe(3);
    });
    // A shipment parked before days were checked against the calendar (2026-02-29), as it lies in the table:
    // valuing it threw inside the link's transaction, and the link itself was dead-lettered.
    const leapEvent = order('shipped', leap, 1, { sellerAccountId: account, shippingBillNumber: '4412940', shippingBillDate: '2026-02-29' });
    await db.query(
      `INSERT INTO "${exportsSchema()}".parked_events (partner, event_id, seller_account_id, order_id, event_type, attributes, payload, source)
       VALUES ('flipkart', $1, $2, $3, $4, $5, $6, $7)`,
      [
        leapEvent.payload.eventId,
        account,
        leap,
        leapEvent.type,
        JSON.stringify({ id: leapEvent.payload.eventId, type: leapEvent.type, source: 'flipkart', time: leapEvent.payload.occurredAt, specversion: '1.0' }),
        JSON.stringify(leapEvent.payload),
        JSON.stringify({ topic: stack.topic(partnerOrdersTopic('flipkart')), partition: 0, offset: '0', key: `flipkart:${leap}` }),
      ],
    );

    await linkAccount(sellers.b, 'flipkart', account);
    // The link holds and the good order is recorded; each poison event is refused with its reason, on its order.
    expect((await orderView('flipkart', good, (o) => o.export !== null)).status).toBe('shipped');
    const refusalOf = (orderId: string) =>
      eventually(async () => {
        const answer = await http<{ refusals: { code: string; reason: string }[] }>('GET', `${stack.urls.exports}/v1/orders/flipkart/${orderId}`, undefined, stack.token('operator'));
        expect(answer.body.refusals).toHaveLength(1);
        return answer.body.refusals[0];
      });
    expect(await refusalOf(huge)).toMatchObject({ code: 'EXPORTS.UNVALUABLE_SHIPMENT' });
    expect(await refusalOf(leap)).toMatchObject({ code: 'EXPORTS.PARKED_EVENT_INVALID', reason: expect.stringContaining('shippingBillDate') });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${exportsSchema()}".marketplace_accounts WHERE account_id = $1`, [account]);
    expect(rows[0].n).toBe(1);
    const after = await http<{ total: number }>('GET', `${stack.urls.exports}/v1/parked-events?sellerAccountId=${account}`, undefined, stack.token('operator'));
    expect(after.body.total).toBe(0);
  });

  it('dead-letters a partner reporting another marketplace\'s seller, and every invalid event, with the reason; the line keeps moving', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const bad = (label: string, extra: Record<string, unknown>) => order('placed', `${id}-${label}`, 1, extra);
    await produce('amazon', [order('placed', `${id}-foreign`, 1, { sellerAccountId: 'FK-B-1' })]);
    await produce('flipkart', [
      bad('currency', { currency: 'XYZ' }),
      bad('country', { destinationCountry: 'IN' }),
      bad('hs', { lines: [{ ...LINES[0], hsCode: '7419' }] }),
      bad('quantity', { lines: [{ ...LINES[0], quantity: -1 }] }),
    ]);
    await producer.send({ topic: stack.topic(partnerOrdersTopic('flipkart')), messages: [{ key: `flipkart:${id}-json`, value: '{"eventId": ', headers: toKafkaHeaders({ id: `${id}-json`, type: 'niryat.partner.order.placed.v1', source: 'flipkart', time: new Date().toISOString() }) }] });
    await produce('ebay', [order('placed', `${id}-ebay`, 1)], {}, 'amazon');
    // Amazon's topic speaking for Flipkart, with the id of an event Flipkart sends next: refused, and the id is not taken.
    const stolen = order('placed', `${id}-stolen`, 1);
    await produce('flipkart', [stolen], {}, 'amazon');
    await produce('flipkart', [order('placed', `${id}-mismatch`, 1)], { ce_id: 'another-id' });
    await produce('flipkart', [order('placed', `${id}-after`, 1)]); // after all the garbage

    const dead = await deadLetters((r) => (r.key ?? '').includes(id), 9);
    const byOrder = new Map(dead.map((r) => [(r.key ?? '').split(':')[1].replace(`${id}-`, ''), r.headers]));
    expect(byOrder.get('foreign')).toMatchObject({ niryat_dlq_code: 'EXPORTS.FOREIGN_SELLER_ACCOUNT', niryat_dlq_reason: expect.stringContaining('linked on flipkart, not on amazon') });
    for (const [label, field] of [['currency', 'currency'], ['country', 'destinationCountry'], ['hs', 'lines[0].hsCode'], ['quantity', 'lines[0].quantity']]) {
      expect(byOrder.get(label)?.niryat_dlq_code).toBe('MESSAGING.INVALID_PAYLOAD');
      expect(JSON.parse(byOrder.get(label)?.niryat_dlq_errors ?? '[]').map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(byOrder.get('json')?.niryat_dlq_code).toBe('MESSAGING.NOT_JSON');
    expect(byOrder.get('ebay')).toMatchObject({ niryat_dlq_code: 'MESSAGING.SOURCE_MISMATCH', niryat_dlq_reason: expect.stringContaining("ce_source 'ebay'") });
    expect(byOrder.get('stolen')).toMatchObject({ niryat_dlq_code: 'MESSAGING.SOURCE_MISMATCH', niryat_dlq_reason: expect.stringContaining("only 'amazon' writes") });
    await produce('flipkart', [stolen]);
    await orderView('flipkart', `${id}-stolen`, (o) => o.status === 'placed');
    expect(byOrder.get('mismatch')?.niryat_dlq_code).toBe('EXPORTS.EVENT_ID_MISMATCH');
    await orderView('flipkart', `${id}-after`, (o) => o.status === 'placed');
  });

  it('refuses a return that exceeds what shipped, and keeps the order as it was', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    await produce('flipkart', [order('placed', id, 1), order('shipped', id, 2), order('returned', id, 3, { lines: [{ lineId: 'L2', quantity: 3 }] })]);
    const [dead] = await deadLetters((r) => r.key === `flipkart:${id}`, 1);
    expect(dead.headers).toMatchObject({ niryat_dlq_code: 'EXPORTS.IMPOSSIBLE_HISTORY', niryat_dlq_reason: expect.stringContaining('more than the 2 that shipped') });
    const view = await orderView('flipkart', id, (o) => o.status === 'shipped');
    expect(view.adjustments).toEqual([]);
  });

  it('refuses a shipment worth more than any MSME shipment is (EXPORTS_MAX_SHIPMENT_INR), with its value, and counts nothing of it', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    // USD 100 million in one line: about INR 830 crore, above the INR 500 crore a medium enterprise may turn over in a year.
    const lines = [{ lineId: 'L1', sku: 'BRASS-URN', hsCode: '74198030', quantity: 1, unitPriceMinor: 10_000_000_000 }];
    await produce('flipkart', [order('placed', id, 1, { lines }), order('shipped', id, 2, { lines })]);
    const [dead] = await deadLetters((r) => r.key === `flipkart:${id}`, 1);
    expect(dead.headers).toMatchObject({
      niryat_dlq_code: 'EXPORTS.IMPLAUSIBLE_SHIPMENT_VALUE',
      niryat_dlq_reason: expect.stringMatching(/valued at INR [\d,]+(\.\d+)?, above the INR 5,00,00,00,000 one shipment may be worth/),
    });
    const view = await orderView('flipkart', id, (o) => o.status === 'placed');
    expect(view.export).toBeNull();
  });

  it('refuses a shipment with no reference rate for its day, and takes the same event again once an operator loads the rates', async () => {
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const sgdLines = [{ lineId: 'S1', sku: 'RUG-2X3', hsCode: '57011010', quantity: 2, unitPriceMinor: 12_345 }];
    const shipment = order('shipped', id, 1, { currency: 'SGD', destinationCountry: 'SG', occurredAt: '2023-06-01T08:00:00Z', lines: sgdLines });
    await produce('flipkart', [shipment]);
    const [dead] = await deadLetters((r) => r.key === `flipkart:${id}`, 1);
    expect(dead.headers).toMatchObject({ niryat_dlq_code: 'EXPORTS.NO_FX_RATE', niryat_dlq_reason: expect.stringContaining('2023-06-01') });

    const rates = { rates: [
      { currency: 'SGD', effectiveFrom: '2023-06-01', inrPerUnit: '61.2345' },
      { currency: 'USD', effectiveFrom: '2023-06-01', inrPerUnit: '82.6050' },
    ] };
    expect((await http('POST', `${stack.urls.exports}/v1/fx-rates`, rates, stack.token('reviewer'))).status).toBe(403);
    // A zero rate (it divides) and a day that does not exist are 400s naming both fields, and store nothing.
    const listSgd = () => http<{ items: unknown[] }>('GET', `${stack.urls.exports}/v1/fx-rates?currency=SGD`, undefined, stack.token('operator'));
    const before = (await listSgd()).body.items;
    const bad = await http<{ error: { code: string; fields: { field: string; code: string }[] } }>(
      'POST',
      `${stack.urls.exports}/v1/fx-rates`,
      { rates: [{ currency: 'SGD', effectiveFrom: '2023-02-30', inrPerUnit: '0.0000' }, rates.rates[1]] },
      stack.token('operator'),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => `${f.field}:${f.code}`).sort()).toEqual(['rates[0].effectiveFrom:isoDate', 'rates[0].inrPerUnit:rate']);
    expect((await listSgd()).body.items).toEqual(before);
    const loaded = await http<{ loaded: number }>('POST', `${stack.urls.exports}/v1/fx-rates`, rates, stack.token('operator'));
    expect(loaded.body.loaded).toBe(2);
    const conflicting = await http<{ error: { code: string } }>('POST', `${stack.urls.exports}/v1/fx-rates`, { rates: [{ ...rates.rates[0], inrPerUnit: '61.3000' }] }, stack.token('operator'));
    expect(conflicting).toMatchObject({ status: 409, body: { error: { code: 'EXPORTS.FX_RATE_EXISTS' } } });

    // The operator's command sends the dead letter back to its source topic, as it first came.
    const deadLetterId = `${stack.topic(deadLetterTopicFor('exports.partner-orders'))}/${dead.partition}/${dead.offset}`;
    const listed = await deadlettersCli('list', '--code', 'EXPORTS.NO_FX_RATE');
    expect(listed).toMatch(new RegExp(`^${deadLetterId.replace(/[.]/g, '\\.')}\\s.*EXPORTS\\.NO_FX_RATE`, 'm'));
    expect(await deadlettersCli('show', deadLetterId)).toContain(`"orderId": "${id}"`);
    expect(await deadlettersCli('replay', deadLetterId)).toContain(`replayed  ${deadLetterId} → ${stack.topic(partnerOrdersTopic('flipkart'))}`);
    const view = await orderView('flipkart', id, (o) => o.export !== null);
    expect(view.export).toMatchObject({ valueMinor: '24690', valueUsdMinor: String(convert(24_690n, '61.2345', '82.6050')), valueInrMinor: String(convert(24_690n, '61.2345', '1')) });

    // Replayed again (an operator's second try): the inbox knows the event, so it still counts once.
    // The order's next event comes behind the replay on the same partition: once it shows, the replay was consumed.
    await deadlettersCli('replay', deadLetterId);
    await produce('flipkart', [order('delivered', id, 2, { currency: 'SGD', destinationCountry: 'SG', occurredAt: '2023-06-05T08:00:00Z' })]);
    await orderView('flipkart', id, (o) => o.status === 'delivered');
    const recorded = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(Topics.exports))).filter(
      (r) => r.headers.ce_type === 'niryat.exports.export.recorded.v1' && JSON.parse(r.value ?? '{}').orderId === id,
    );
    expect(recorded).toHaveLength(1);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${exportsSchema()}".exports WHERE partner = 'flipkart' AND order_id = $1`, [id]);
    expect(rows[0].n).toBe(1);
    expect(await deadLetters((r) => r.key === `flipkart:${id}`, 1)).toHaveLength(1); // nothing refused anew
  });

  it('takes signed batches over HTTP: per-event answers, publication, replay and key rotation', async () => {
    const keysUrl = `${stack.urls.exports}/v1/partners/flipkart/keys`;
    const first = await http<{ keyId: string; secret: string }>('POST', keysUrl, {}, stack.token('operator'));
    expect(first.status).toBe(201);
    const send = async (body: string, headers: Record<string, string>) => {
      const response = await fetch(`${stack.urls.exports}/v1/partner-events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: response.status, body: (await response.json()) as { accepted: number; duplicate: number; rejected: number; results: { status: string; code?: string }[]; error?: { code: string } } };
    };
    const id = `OD-${randomUUID().slice(0, 8)}`;
    const batch = JSON.stringify({
      events: [
        { type: 'niryat.partner.order.placed.v1', data: order('placed', id, 1).payload },
        { type: 'niryat.partner.order.shipped.v1', data: order('shipped', id, 2).payload },
        { type: 'niryat.partner.order.shipped.v1', data: { ...order('shipped', id, 3).payload, currency: 'XYZ' } },
        { type: 'niryat.partner.order.teleported.v1', data: {} },
      ],
    });
    // The partner's own trace: its id goes with each record published on the partner's topic.
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const accepted = await send(batch, { ...signPartnerRequest({ keyId: first.body.keyId, secret: first.body.secret, body: batch }), traceparent, 'x-correlation-id': `fk-batch-${id}` });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: 2, duplicate: 0, rejected: 2 });
    expect(accepted.body.results.map((r) => r.code ?? r.status)).toEqual(['accepted', 'accepted', 'PARTNER_INGEST.INVALID_EVENT', 'PARTNER_INGEST.UNKNOWN_TYPE']);
    const view = await orderView('flipkart', id, (o) => o.export !== null);
    expect(view.export?.valueUsdMinor).toBe(String(ORDER_MINOR));
    const published = (await readWholeTopic(testInfra().kafkaBrokers.split(','), stack.topic(partnerOrdersTopic('flipkart')))).filter((r) => r.key === `flipkart:${id}`);
    expect(published.map((r) => [r.headers.ce_source, r.headers.traceparent?.split('-')[1], r.headers.ce_correlationid])).toEqual([
      ['flipkart', traceId, `fk-batch-${id}`],
      ['flipkart', traceId, `fk-batch-${id}`],
    ]);

    // The same batch signed again (a partner's retry) is answered per event: its events are duplicates now.
    const again = await send(batch, signPartnerRequest({ keyId: first.body.keyId, secret: first.body.secret, body: batch, timestamp: Math.floor(Date.now() / 1000) - 120 }));
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 2, rejected: 2 });
    // The very same signed request again is a replay: 409, and nothing is charged or sent.
    // Far from the retry's timestamp: two requests a second apart on a slow machine must not be signed alike.
    const replayHeaders = signPartnerRequest({ keyId: first.body.keyId, secret: first.body.secret, body: batch, timestamp: Math.floor(Date.now() / 1000) - 60 });
    expect((await send(batch, replayHeaders)).status).toBe(200);
    expect(await send(batch, replayHeaders)).toMatchObject({ status: 409, body: { error: { code: 'PARTNER_AUTH.REPLAYED' } } });

    const tampered = await send(batch.replace('"sequence":1', '"sequence":9'), signPartnerRequest({ keyId: first.body.keyId, secret: first.body.secret, body: batch }));
    expect(tampered).toMatchObject({ status: 401, body: { error: { code: 'PARTNER_AUTH.BAD_SIGNATURE' } } });
    const stale = await send(batch, signPartnerRequest({ keyId: first.body.keyId, secret: first.body.secret, body: batch, timestamp: Math.floor(Date.now() / 1000) - 301 }));
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'PARTNER_AUTH.STALE_TIMESTAMP' } } });

    // Rotation: a second key, both valid for a while, then the first one revoked.
    const second = await http<{ keyId: string; secret: string }>('POST', keysUrl, {}, stack.token('operator'));
    const small = JSON.stringify({ events: [{ type: 'niryat.partner.order.delivered.v1', data: order('delivered', id, 4).payload }] });
    expect((await send(small, signPartnerRequest({ keyId: second.body.keyId, secret: second.body.secret, body: small }))).status).toBe(200);
    expect((await http('DELETE', `${keysUrl}/${first.body.keyId}`, undefined, stack.token('operator'))).status).toBe(204);
    const revoked = await send(small, signPartnerRequest({ keyId: first.body.keyId, secret: first.body.secret, body: small }));
    expect(revoked.status).toBe(401);

    const huge = JSON.stringify({ events: [{ type: 'niryat.partner.order.placed.v1', data: { ...order('placed', `${id}-big`, 1).payload, padding: 'x'.repeat(3 * 1024 * 1024) } }] });
    const tooLarge = await send(huge, signPartnerRequest({ keyId: second.body.keyId, secret: second.body.secret, body: huge }));
    expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: 'REQUEST.TOO_LARGE' } } });
    await orderView('flipkart', id, (o) => o.status === 'delivered');
  });

  it('tells a partner the truth at the door: refuses what the consumer would, and shows later refusals on the order', async () => {
    const keysUrl = `${stack.urls.exports}/v1/partners/amazon/keys`;
    const key = await http<{ keyId: string; secret: string }>('POST', keysUrl, {}, stack.token('operator'));
    const send = async (events: object[]) => {
      const body = JSON.stringify({ events });
      const response = await fetch(`${stack.urls.exports}/v1/partner-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signPartnerRequest({ keyId: key.body.keyId, secret: key.body.secret, body }) },
        body,
      });
      return (await response.json()) as { accepted: number; rejected: number; results: { status: string; code?: string; errors?: { field: string; code: string }[] }[] };
    };
    const id = `AZ-${randomUUID().slice(0, 8)}`;
    const shipped = (orderId: string, extra: Record<string, unknown>) => ({
      type: 'niryat.partner.order.shipped.v1',
      data: { ...order('shipped', orderId, 1).payload, sellerAccountId: 'AMZ-A-1', ...extra },
    });
    // What the consumer would refuse the ingest refuses now, per event, naming the field.
    const refused = await send([
      shipped(`${id}-leap`, { shippingBillNumber: '4412931', shippingBillDate: '2026-02-29' }),
      shipped(`${id}-feb30`, { shippingBillNumber: '4412932', shippingBillDate: '2026-02-30' }),
      shipped(`${id}-ok`, { shippingBillNumber: '4412933', shippingBillDate: '2024-02-29' }),
    ]);
    expect(refused.results.map((r) => [r.code ?? r.status, r.errors?.map((e) => `${e.field}:${e.code}`)])).toEqual([
      ['PARTNER_INGEST.INVALID_EVENT', ['shippingBillDate:calendarDay']],
      ['PARTNER_INGEST.INVALID_EVENT', ['shippingBillDate:calendarDay']],
      ['accepted', undefined],
    ]);
    // Text that is not text (a NUL, half a surrogate pair) is refused with the whole request, before the signature is even read.
    for (const [sku, code] of [['BRASS\u0000BOWL', 'noNulCharacter'], ['BRASS\uD800', 'wellFormedText']]) {
      const body = JSON.stringify({ events: [shipped(`${id}-text`, { lines: [{ ...LINES[0], sku }] })] });
      const answer = await fetch(`${stack.urls.exports}/v1/partner-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signPartnerRequest({ keyId: key.body.keyId, secret: key.body.secret, body }) },
        body,
      });
      const error = ((await answer.json()) as { error: { fields: { field: string; code: string }[] } }).error;
      expect([answer.status, error.fields.map((f) => `${f.field}:${f.code}`)]).toEqual([400, [`events[0].data.lines[0].sku:${code}`]]);
    }
    // What it cannot know (a Flipkart seller reported by Amazon) it accepts, and the order says why it was refused later.
    const foreign = await send([shipped(`${id}-foreign`, { sellerAccountId: 'FK-B-1' })]);
    expect(foreign.accepted).toBe(1);
    const view = await eventually(async () => {
      const answer = await http<{ status: string | null; refusals: { code: string; reason: string }[] }>('GET', `${stack.urls.exports}/v1/orders/amazon/${id}-foreign`, undefined, stack.token('partner'));
      expect(answer.status).toBe(200);
      return answer.body;
    });
    expect(view).toMatchObject({ status: null, refusals: [{ code: 'EXPORTS.FOREIGN_SELLER_ACCOUNT', reason: expect.stringContaining('linked on flipkart, not on amazon') }] });
  });
});
