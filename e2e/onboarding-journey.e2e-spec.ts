import { Topics } from '@niryat/contracts';
import { eventually, gstinFor, readWholeTopic, sellerRegistration, testInfra, udyamFor, type ReadRecord } from '@niryat/testing';
import { Client } from 'pg';
import { http, PlatformStack } from './platform-stack';

interface SellerBody {
  id: string;
  status: string;
  classification: string;
  classificationRule: string;
  pan?: string;
  bankAccount?: { ifsc: string; accountNumber: string };
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; code: string }[]; [detail: string]: unknown };
}

describe('onboarding journey through HTTP and Kafka (compiled services, real broker and database)', () => {
  const stack = new PlatformStack();
  const db = new Client({ connectionString: testInfra().databaseUrl });
  const brokers = () => testInfra().kafkaBrokers.split(',');
  const sellersUrl = () => `${stack.urls.onboarding}/v1/sellers`;
  const as = (role: Parameters<PlatformStack['token']>[0]) => stack.token(role);

  /** Rows in the onboarding schema: what a refused request must leave unchanged. */
  async function counts(): Promise<{ sellers: number; outbox: number; history: number }> {
    const schema = stack.schemaOf('onboarding');
    const [row] = (
      await db.query(
        `SELECT (SELECT count(*) FROM "${schema}".sellers)::int AS sellers,
                (SELECT count(*) FROM "${schema}".outbox)::int AS outbox,
                (SELECT count(*) FROM "${schema}".seller_history)::int AS history`,
      )
    ).rows;
    return row;
  }

  async function sellerRecords(sellerId: string, expected: number): Promise<ReadRecord[]> {
    return eventually(async () => {
      const records = (await readWholeTopic(brokers(), stack.topic(Topics.onboardingSeller))).filter((r) => r.key === sellerId);
      expect(records.length).toBeGreaterThanOrEqual(expected);
      return records;
    });
  }

  async function registerApproved(registration = sellerRegistration()): Promise<string> {
    const created = await http<SellerBody>('POST', sellersUrl(), registration, as('registrant'));
    expect(created.status).toBe(201);
    expect((await http('POST', `${sellersUrl()}/${created.body.id}/start-review`, {}, as('reviewer'))).status).toBe(200);
    expect((await http('POST', `${sellersUrl()}/${created.body.id}/approve`, {}, as('reviewer'))).status).toBe(200);
    return created.body.id;
  }

  beforeAll(async () => {
    await stack.start();
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await stack.stop();
  });

  it('register → review → approve → enrol → link emits the right events, in order, keyed by the seller', async () => {
    const registration = sellerRegistration({ stateCode: '09', district: 'Moradabad', programmes: ['flipkart-walmart-odop-up', 'walmart-vriddhi'] });
    const created = await http<SellerBody>('POST', sellersUrl(), registration, as('registrant'));
    expect(created.status).toBe(201);
    // ₹1.8 cr in plant and machinery, ₹12 cr turnover of which ₹4.5 cr exports: micro under the 2025 rules.
    expect(created.body).toMatchObject({ status: 'submitted', classification: 'micro', classificationRule: 'msme-2025-04-01' });
    expect(created.body.bankAccount?.accountNumber).toMatch(/^•+\d{4}$/);
    const id = created.body.id;

    const step = async (path: string, role: Parameters<PlatformStack['token']>[0], body: object, status = 200) => {
      const answer = await http<SellerBody & ErrorBody>('POST', `${sellersUrl()}/${id}/${path}`, body, as(role));
      expect({ path, status: answer.status }).toEqual({ path, status });
      return answer.body;
    };
    expect((await step('start-review', 'reviewer', {})).status).toBe('under-review');
    expect((await step('approve', 'reviewer', {})).status).toBe('approved');
    await step('enrolments', 'registrant', { programmeId: 'flipkart-walmart-odop-up' }, 201);
    await step('enrolments', 'registrant', { programmeId: 'walmart-vriddhi' }, 201);
    await step('marketplace-accounts', 'operator', { marketplace: 'flipkart', accountId: 'FK-MBH-7781' }, 201);

    const records = await sellerRecords(id, 6);
    expect(records.map((r) => r.headers.ce_type)).toEqual([
      'niryat.onboarding.seller.registered.v1',
      'niryat.onboarding.seller.review-started.v1',
      'niryat.onboarding.seller.approved.v1',
      'niryat.onboarding.seller.enrolled.v1',
      'niryat.onboarding.seller.enrolled.v1',
      'niryat.onboarding.seller.marketplace-account-linked.v1',
    ]);
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    for (const record of records) {
      expect(record.headers).toMatchObject({ ce_source: '/niryat/onboarding', ce_subject: `sellers/${id}`, ce_specversion: '1.0' });
      // Payloads carry what downstream counts by, never identifiers, contacts or bank details.
      const value = record.value ?? '';
      for (const secret of [registration.pan, registration.gstin, registration.bankAccount.accountNumber, registration.contact.email]) {
        expect(value).not.toContain(secret);
      }
    }
    const payloads = records.map((r) => JSON.parse(r.value ?? '{}') as Record<string, unknown>);
    expect(payloads[2]).toMatchObject({ sellerId: id, stateCode: '09', district: 'Moradabad', classification: 'micro', programmes: registration.programmes });
    expect(payloads.slice(3, 5).map((p) => p.programmeId)).toEqual(['flipkart-walmart-odop-up', 'walmart-vriddhi']);
    expect(payloads[5]).toMatchObject({ marketplace: 'flipkart', accountId: 'FK-MBH-7781', stateCode: '09' });

    const history = await http<{ items: { action: string; fromStatus: string | null; toStatus: string | null; actor: string }[] }>(
      'GET',
      `${sellersUrl()}/${id}/history`,
      undefined,
      as('reviewer'),
    );
    expect(history.body.items.map((h) => [h.action, h.fromStatus, h.toStatus, h.actor])).toEqual([
      ['registered', null, 'submitted', 'e2e-registrant'],
      ['start-review', 'submitted', 'under-review', 'e2e-reviewer'],
      ['approve', 'under-review', 'approved', 'e2e-reviewer'],
      ['enrolled', null, null, 'e2e-registrant'],
      ['enrolled', null, null, 'e2e-registrant'],
      ['account-linked', null, null, 'e2e-operator'],
    ]);
  });

  it('writes nothing and emits nothing for a refused registration, and names the existing seller on a duplicate', async () => {
    const registration = sellerRegistration();
    await http('POST', sellersUrl(), registration, as('registrant'));
    await eventually(async () => {
      const [{ pending }] = (await db.query(`SELECT count(*)::int AS pending FROM "${stack.schemaOf('onboarding')}".outbox WHERE published_at IS NULL`)).rows;
      expect(pending).toBe(0);
    });
    const before = await counts();
    const recordsBefore = (await readWholeTopic(brokers(), stack.topic(Topics.onboardingSeller))).length;

    const other = sellerRegistration({ stateCode: '09' });
    const invalid = await http<ErrorBody>('POST', sellersUrl(), { ...other, gstin: gstinFor('27', other.pan) }, as('registrant'));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields?.map((f) => `${f.field}:${f.code}`)).toEqual(['gstin:gstinMatchesState']);

    const duplicateGstin = await http<ErrorBody>('POST', sellersUrl(), registration, as('registrant'));
    const existing = await http<{ items: SellerBody[] }>('GET', `${sellersUrl()}?pageSize=200`, undefined, as('reviewer'));
    const original = existing.body.items.find((s) => s.pan === registration.pan);
    expect(duplicateGstin.status).toBe(409);
    expect(duplicateGstin.body.error).toMatchObject({ code: 'ONBOARDING.DUPLICATE_SELLER', conflict: 'gstin', existingSellerId: original?.id });

    const samePanSameState = { ...sellerRegistration(), pan: registration.pan, iec: registration.pan, gstin: registration.gstin.replace(/1Z.$/, '') };
    const withOtherEntity = `${samePanSameState.gstin}2Z`;
    const { gstinCheckCharacter } = await import('@niryat/india');
    samePanSameState.gstin = `${withOtherEntity}${gstinCheckCharacter(withOtherEntity)}`;
    const duplicatePan = await http<ErrorBody>('POST', sellersUrl(), samePanSameState, as('registrant'));
    expect(duplicatePan.status).toBe(409);
    expect(duplicatePan.body.error).toMatchObject({ conflict: 'pan-in-state', existingSellerId: original?.id });
    // Another registrant learns that the GSTIN is taken, not whose seller holds it.
    const byOther = await http<ErrorBody>('POST', sellersUrl(), registration, stack.otherRegistrantToken());
    expect(byOther.status).toBe(409);
    expect(byOther.body.error).not.toHaveProperty('existingSellerId');
    expect(byOther.body.error.message).not.toContain(original?.id ?? '-');

    const unknownProgramme = await http<ErrorBody>('POST', sellersUrl(), sellerRegistration({ programmes: ['no-such-programme'] }), as('registrant'));
    expect(unknownProgramme.status).toBe(400);
    expect(unknownProgramme.body.error.fields).toEqual([expect.objectContaining({ field: 'programmes[0]', code: 'unknownProgramme' })]);

    await new Promise((resolve) => setTimeout(resolve, 500)); // a relay would have published by now
    expect(await counts()).toEqual(before);
    expect((await readWholeTopic(brokers(), stack.topic(Topics.onboardingSeller))).length).toBe(recordsBefore);
  });

  it('refuses illegal transitions with 409 and the current state, and needs a reason to reject or suspend', async () => {
    const created = await http<SellerBody>('POST', sellersUrl(), sellerRegistration(), as('registrant'));
    const url = `${sellersUrl()}/${created.body.id}`;
    const early = await http<ErrorBody>('POST', `${url}/approve`, {}, as('reviewer'));
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'ONBOARDING.ILLEGAL_TRANSITION', currentState: 'submitted', allowedActions: ['start-review'] });
    await http('POST', `${url}/start-review`, {}, as('reviewer'));
    const noReason = await http<ErrorBody>('POST', `${url}/reject`, {}, as('reviewer'));
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual([expect.objectContaining({ field: 'reason', code: 'reasonRequired' })]);
    // A reason is operator text on an event: short, and never personal data.
    const personal = await http<ErrorBody>('POST', `${url}/reject`, { reason: `PAN ${sellerRegistration().pan} belongs to someone else; mail exports@x.example.in` }, as('reviewer'));
    expect([personal.status, personal.body.error.fields?.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)]).toEqual([400, ['reason:noPersonalData']]);
    const long = await http<ErrorBody>('POST', `${url}/reject`, { reason: 'x'.repeat(281) }, as('reviewer'));
    expect([long.status, long.body.error.fields?.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)]).toEqual([400, ['reason:maxLength']]);
    expect((await http<SellerBody>('GET', url, undefined, as('reviewer'))).body.status).toBe('under-review');
    const rejected = await http<SellerBody>('POST', `${url}/reject`, { reason: 'Udyam certificate does not match the GST registration' }, as('reviewer'));
    expect(rejected.body.status).toBe('rejected');
    expect((await http<ErrorBody>('POST', `${url}/start-review`, {}, as('reviewer'))).body.error).toMatchObject({ currentState: 'rejected', allowedActions: [] });

    const id = await registerApproved();
    const sellerUrl = `${sellersUrl()}/${id}`;
    expect((await http<ErrorBody>('POST', `${sellerUrl}/suspend`, {}, as('reviewer'))).status).toBe(400);
    expect((await http<SellerBody>('POST', `${sellerUrl}/suspend`, { reason: 'GSTIN suspended on the GST portal' }, as('reviewer'))).body.status).toBe('suspended');
    const enrolWhileSuspended = await http<ErrorBody>('POST', `${sellerUrl}/enrolments`, { programmeId: 'walmart-vriddhi' }, as('registrant'));
    expect(enrolWhileSuspended.status).toBe(409);
    expect(enrolWhileSuspended.body.error).toMatchObject({ code: 'ONBOARDING.SELLER_NOT_APPROVED', currentState: 'suspended' });
    expect((await http<SellerBody>('POST', `${sellerUrl}/reinstate`, {}, as('reviewer'))).body.status).toBe('approved');

    const types = (await sellerRecords(id, 5)).map((r) => r.headers.ce_type.split('.').at(-2));
    expect(types).toEqual(['registered', 'review-started', 'approved', 'suspended', 'reinstated']);
  });

  it('enrols only in programmes open to the seller\'s state, once, and withdraws with a reason', async () => {
    const id = await registerApproved(sellerRegistration({ stateCode: '06', district: 'Panipat', programmes: ['walmart-vriddhi'] }));
    const enrolments = `${sellersUrl()}/${id}/enrolments`;
    const odop = await http<ErrorBody>('POST', enrolments, { programmeId: 'flipkart-walmart-odop-up' }, as('registrant'));
    expect(odop.status).toBe(409);
    expect(odop.body.error).toMatchObject({ code: 'ONBOARDING.PROGRAMME_NOT_IN_STATE', stateCode: '06', programmeStates: ['09'] });
    expect((await http('POST', enrolments, { programmeId: 'walmart-vriddhi' }, as('registrant'))).status).toBe(201);
    expect((await http<ErrorBody>('POST', enrolments, { programmeId: 'walmart-vriddhi' }, as('registrant'))).body.error.code).toBe('ONBOARDING.ALREADY_ENROLLED');
    expect((await http<ErrorBody>('POST', `${enrolments}/walmart-vriddhi/withdraw`, {}, as('registrant'))).status).toBe(400);
    const withdrawn = await http<{ status: string; withdrawReason: string }>(
      'POST',
      `${enrolments}/walmart-vriddhi/withdraw`,
      { reason: 'Joined the next cohort instead' },
      as('registrant'),
    );
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawReason: 'Joined the next cohort instead' });
    const list = await http<{ items: { programmeId: string; status: string }[] }>('GET', enrolments, undefined, as('registrant'));
    expect(list.body.items).toEqual([expect.objectContaining({ programmeId: 'walmart-vriddhi', status: 'withdrawn' })]);
  });

  it('records an enrolment from an earlier day only for a reviewer, never from a day to come or before the programme began', async () => {
    const id = await registerApproved(sellerRegistration({ stateCode: '06', district: 'Panipat', programmes: ['walmart-vriddhi'] }));
    const enrolments = `${sellersUrl()}/${id}/enrolments`;
    const fieldCodes = (body: ErrorBody) => (body.error as unknown as { fields: { field: string; code: string }[] }).fields.map((f) => `${f.field}:${f.code}`);
    const byRegistrant = await http<ErrorBody>('POST', enrolments, { programmeId: 'walmart-vriddhi', enrolledSince: '2024-04-01' }, as('registrant'));
    expect([byRegistrant.status, byRegistrant.body.error.code]).toEqual([403, 'ONBOARDING.BACKDATING_NEEDS_REVIEWER']);
    const future = await http<ErrorBody>('POST', enrolments, { programmeId: 'walmart-vriddhi', enrolledSince: '2098-01-01' }, as('reviewer'));
    expect([future.status, fieldCodes(future.body)]).toEqual([400, ['enrolledSince:enrolledSinceInFuture']]);
    const early = await http<ErrorBody>('POST', enrolments, { programmeId: 'walmart-vriddhi', enrolledSince: '2019-08-31' }, as('reviewer'));
    expect([early.status, fieldCodes(early.body)]).toEqual([400, ['enrolledSince:enrolledSinceBeforeProgramme']]);
    const notADay = await http<ErrorBody>('POST', enrolments, { programmeId: 'walmart-vriddhi', enrolledSince: '2024-02-30' }, as('reviewer'));
    expect([notADay.status, fieldCodes(notADay.body)]).toEqual([400, ['enrolledSince:calendarDay']]);
    // Nothing was enrolled by the refused requests; the reviewer's backdated one is.
    expect((await http<{ items: unknown[] }>('GET', enrolments, undefined, as('registrant'))).body.items).toEqual([]);
    const enrolled = await http<{ enrolledSince: string }>('POST', enrolments, { programmeId: 'walmart-vriddhi', enrolledSince: '2024-04-01' }, as('reviewer'));
    expect([enrolled.status, enrolled.body.enrolledSince]).toEqual([201, '2024-04-01']);
    const records = await sellerRecords(id, 4);
    expect(JSON.parse(records.at(-1)?.value ?? '{}')).toMatchObject({ programmeId: 'walmart-vriddhi', enrolledSince: '2024-04-01' });
  });

  it('links an account id to one seller per marketplace, and lets each role see only what it may', async () => {
    const first = await registerApproved();
    const second = await registerApproved();
    const link = (sellerId: string, marketplace: string, accountId: string, role: Parameters<PlatformStack['token']>[0] = 'operator') =>
      http<ErrorBody>('POST', `${sellersUrl()}/${sellerId}/marketplace-accounts`, { marketplace, accountId }, as(role));

    expect((await link(first, 'amazon', 'A2SHARED01IN')).status).toBe(201);
    expect((await link(first, 'flipkart', 'FK-FIRST-01')).status).toBe(201);
    const taken = await link(second, 'amazon', 'A2SHARED01IN');
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'ONBOARDING.ACCOUNT_LINKED_TO_OTHER_SELLER', linkedSellerId: first });
    expect((await link(second, 'flipkart', 'A2SHARED01IN')).status).toBe(201); // same id, another marketplace
    expect((await link(second, 'walmart', 'W-1', 'reviewer')).status).toBe(403);

    // The stack's partner acts for Amazon: it sees the first seller (Amazon account), not the second.
    const partnerView = await http<Record<string, unknown>>('GET', `${sellersUrl()}/${first}`, undefined, as('partner'));
    expect(partnerView.status).toBe(200);
    expect(partnerView.body).not.toHaveProperty('pan');
    expect(partnerView.body).not.toHaveProperty('bankAccount');
    expect((await http('GET', `${sellersUrl()}/${second}`, undefined, as('partner'))).status).toBe(404);

    // Identifiers and contacts: in full for the registrant and reviewers, masked for analysts (in a read and in a list).
    type Personal = { gstin: string; pan: string; udyamNumber: string; iec: string; contact: { email: string; mobile: string }; bankAccount: { accountNumber: string } };
    const full = (await http<Personal>('GET', `${sellersUrl()}/${first}`, undefined, as('reviewer'))).body;
    expect((await http<Personal>('GET', `${sellersUrl()}/${first}`, undefined, as('registrant'))).body).toMatchObject({ gstin: full.gstin, pan: full.pan, contact: full.contact });
    const analystView = (await http<Personal>('GET', `${sellersUrl()}/${first}`, undefined, as('analyst'))).body;
    const tail = (value: string) => `${'•'.repeat(value.length - 4)}${value.slice(-4)}`;
    expect(analystView).toMatchObject({
      gstin: tail(full.gstin),
      pan: tail(full.pan),
      udyamNumber: tail(full.udyamNumber),
      iec: tail(full.iec),
      contact: { email: `${full.contact.email[0]}${'•'.repeat(full.contact.email.indexOf('@') - 1)}${full.contact.email.slice(full.contact.email.indexOf('@'))}`, mobile: tail(full.contact.mobile) },
      bankAccount: { accountNumber: full.bankAccount.accountNumber },
    });
    const analystList = await http<{ items: Personal[] }>('GET', `${sellersUrl()}?pageSize=100`, undefined, as('analyst'));
    expect(analystList.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(analystList.body)).not.toContain(full.pan);
    expect(JSON.stringify(analystList.body)).not.toContain(full.contact.email);

    const lookup = await http<{ sellerId: string }>('GET', `${stack.urls.onboarding}/v1/marketplace-accounts/amazon/A2SHARED01IN`, undefined, as('partner'));
    expect(lookup.body.sellerId).toBe(first);
    expect((await http('GET', `${stack.urls.onboarding}/v1/marketplace-accounts/flipkart/FK-FIRST-01`, undefined, as('partner'))).status).toBe(404);

    const unlinked = await http('DELETE', `${sellersUrl()}/${first}/marketplace-accounts/amazon/A2SHARED01IN`, { reason: 'Account closed' }, as('operator'));
    expect(unlinked.status).toBe(204);
    expect((await http('GET', `${sellersUrl()}/${first}`, undefined, as('partner'))).status).toBe(404);
    const types = (await sellerRecords(first, 6)).map((r) => r.headers.ce_type.split('.').at(-2));
    expect(types.slice(-3)).toEqual(['marketplace-account-linked', 'marketplace-account-linked', 'marketplace-account-unlinked']);

    // A registrant sees the sellers it registered; the list filters by state and status.
    const listed = await http<{ items: { id: string }[]; total: number; page: number; pageSize: number }>(
      'GET',
      `${sellersUrl()}?state=09&status=approved&pageSize=2&page=1`,
      undefined,
      as('registrant'),
    );
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.total).toBeGreaterThanOrEqual(2);
    expect((await http<ErrorBody>('GET', `${sellersUrl()}?state=99X`, undefined, as('reviewer'))).status).toBe(400);
  });

  it('updates a profile under the registration rules, reclassifies it, and emits profile-changed only for state, district or category', async () => {
    const registration = sellerRegistration({ stateCode: '09', district: 'Moradabad', programmes: ['walmart-vriddhi'] });
    const id = await registerApproved(registration);
    const patch = (body: object) => http<SellerBody & ErrorBody & { stateCode: string; district: string }>('PATCH', `${sellersUrl()}/${id}`, body, as('registrant'));

    expect((await patch({ contact: { ...registration.contact, email: 'new.desk@example.in' } })).status).toBe(200);
    // ₹30 cr in plant and machinery is above the 2025 small limit (₹25 cr): medium.
    const grown = await patch({ investmentInPlantAndMachinery: 300_000_000 });
    expect(grown.body).toMatchObject({ classification: 'medium', classificationRule: 'msme-2025-04-01' });

    const wrongGstin = await patch({ relocation: { stateCode: '06', district: 'Panipat', gstin: registration.gstin, udyamNumber: udyamFor('06') } });
    expect(wrongGstin.status).toBe(400);
    expect(wrongGstin.body.error.fields?.map((f) => `${f.field}:${f.code}`)).toEqual(['relocation.gstin:gstinMatchesState']);
    // An approved seller's move to another state waits for a reviewer (202): nothing moves yet, the rest of the update applies.
    type Change = { id: string; status: string; fields: string[]; changes: { bankAccount?: { accountNumber: string } }; decidedBy: string | null; reason: string | null };
    const asked = await http<SellerBody & { stateCode: string; tradeName: string; pendingChange: Change }>(
      'PATCH',
      `${sellersUrl()}/${id}`,
      { tradeName: 'Moradabad Brass Home', relocation: { stateCode: '06', district: 'Panipat', gstin: gstinFor('06', registration.pan), udyamNumber: udyamFor('06') } },
      as('registrant'),
    );
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ stateCode: '09', tradeName: 'Moradabad Brass Home', status: 'approved', pendingChange: { status: 'pending', fields: ['relocation'] } });
    // One change at a time; a new bank account waits too, and contacts still change directly.
    const second = await patch({ bankAccount: { ifsc: 'HDFC0001234', accountNumber: '50100012345678' } });
    expect([second.status, second.body.error.code, second.body.error.pendingChangeId]).toEqual([409, 'ONBOARDING.CHANGE_PENDING', asked.body.pendingChange.id]);
    expect((await patch({ contact: { ...registration.contact, mobile: '+91 99999 12345' } })).status).toBe(200);
    const changesUrl = `${sellersUrl()}/${id}/changes`;
    expect((await http('POST', `${changesUrl}/${asked.body.pendingChange.id}/approve`, {}, as('registrant'))).status).toBe(403);
    const approved = await http<Change>('POST', `${changesUrl}/${asked.body.pendingChange.id}/approve`, {}, as('reviewer'));
    expect([approved.status, approved.body.status, approved.body.decidedBy]).toEqual([200, 'approved', 'e2e-reviewer']);
    expect((await http<ErrorBody>('POST', `${changesUrl}/${asked.body.pendingChange.id}/reject`, { reason: 'too late' }, as('reviewer'))).body.error.code).toBe('ONBOARDING.CHANGE_DECIDED');
    const moved = await http<SellerBody & { stateCode: string; district: string; gstin: string }>('GET', `${sellersUrl()}/${id}`, undefined, as('registrant'));
    expect(moved.body).toMatchObject({ stateCode: '06', district: 'Panipat', gstin: gstinFor('06', registration.pan) });

    // A new bank account, rejected with a reason: the seller keeps the old one; the list shows both decisions, the number masked.
    const bank = await patch({ bankAccount: { ifsc: 'HDFC0001234', accountNumber: '50100012345678' } });
    expect(bank.status).toBe(202);
    const bankChange = (bank.body as unknown as { pendingChange: Change }).pendingChange;
    const rejected = await http<Change>('POST', `${changesUrl}/${bankChange.id}/reject`, { reason: 'The cancelled cheque is in the name of another business' }, as('reviewer'));
    expect([rejected.status, rejected.body.status, rejected.body.reason]).toEqual([200, 'rejected', 'The cancelled cheque is in the name of another business']);
    const after = await http<{ bankAccount: { ifsc: string } }>('GET', `${sellersUrl()}/${id}`, undefined, as('reviewer'));
    expect(after.body.bankAccount.ifsc).toBe(registration.bankAccount.ifsc);
    const listed = await http<{ items: Change[] }>('GET', changesUrl, undefined, as('registrant'));
    expect(listed.body.items.map((c) => [c.fields, c.status])).toEqual([[['bankAccount'], 'rejected'], [['relocation'], 'approved']]);
    expect(listed.body.items[0].changes.bankAccount?.accountNumber).toBe('••••••••••5678');
    expect((await http('GET', changesUrl, undefined, as('analyst'))).status).toBe(403);

    const records = await sellerRecords(id, 9);
    expect(records.map((r) => r.headers.ce_type.split('.').at(-2)).filter((t) => t?.startsWith('change-'))).toEqual([
      'change-requested',
      'change-approved',
      'change-requested',
      'change-rejected',
    ]);
    expect(records.map((r) => r.value ?? '').join('')).not.toContain('50100012345678'); // values never travel on events
    const changes = records.filter((r) => r.headers.ce_type === 'niryat.onboarding.seller.profile-changed.v1').map((r) => JSON.parse(r.value ?? '{}'));
    expect(changes).toEqual([
      expect.objectContaining({ classification: 'medium', previousClassification: 'micro', stateCode: '09', previousStateCode: '09' }),
      expect.objectContaining({ stateCode: '06', district: 'Panipat', previousStateCode: '09', previousDistrict: 'Moradabad', changedBy: 'e2e-reviewer' }),
    ]);
    const history = await http<{ items: { action: string; details: { changedFields?: string[] } }[] }>('GET', `${sellersUrl()}/${id}/history`, undefined, as('reviewer'));
    expect(history.body.items.filter((h) => h.action === 'profile-updated').map((h) => h.details.changedFields)).toEqual([
      ['contact'],
      ['investmentRupees', 'classification'],
      ['tradeName'],
      ['contact'],
      ['gstin', 'udyamNumber', 'stateCode', 'district'],
    ]);
    expect(history.body.items.filter((h) => h.action.startsWith('change-')).map((h) => h.action)).toEqual(['change-requested', 'change-approved', 'change-requested', 'change-rejected']);
  });

  it('keeps the programme catalogue: seeds with real targets, operator-only changes, versioned snapshot events', async () => {
    const list = await http<{ items: Record<string, unknown>[] }>('GET', `${stack.urls.onboarding}/v1/programmes`, undefined, as('registrant'));
    const byId = new Map(list.body.items.map((p) => [p.id, p]));
    expect(byId.get('amazon-global-selling')).toMatchObject({ exportTargetUsd: 10_000_000_000, exportTargetBasis: 'cumulative', milestoneStepUsd: 1_000_000_000 });
    expect(byId.get('walmart-vriddhi')).toMatchObject({ kind: 'training', trainingTargetMsmes: 50_000, allIndia: true });
    expect(byId.get('flipkart-walmart-odop-up')).toMatchObject({ allIndia: false, states: ['09'], exportTargetBasis: 'annual' });
    // The marketplaces whose exports count in each programme.
    expect([...byId].map(([programme, p]) => [programme, p.marketplaces])).toEqual([
      ['amazon-global-selling', ['amazon']],
      ['flipkart-walmart-odop-up', ['flipkart', 'walmart']],
      ['walmart-vriddhi', ['amazon', 'flipkart', 'walmart']],
    ]);

    const definition = {
      id: 'flipkart-samarth-up',
      name: 'Flipkart Samarth for Uttar Pradesh artisans',
      partner: 'flipkart',
      kind: 'export',
      allIndia: false,
      states: ['09'],
      exportTargetUsd: 50_000_000,
      exportTargetBasis: 'annual',
      exportTargetDeadline: '2027-03-31',
    };
    expect((await http('POST', `${stack.urls.onboarding}/v1/programmes`, definition, as('reviewer'))).status).toBe(403);
    const bad = await http<ErrorBody>('POST', `${stack.urls.onboarding}/v1/programmes`, { ...definition, allIndia: true, exportTargetBasis: undefined }, as('operator'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => `${f.field}:${f.code}`).sort()).toEqual(['exportTargetUsd:requiresCompanionFields', 'states:statesMatchCoverage']);
    expect((await http('POST', `${stack.urls.onboarding}/v1/programmes`, definition, as('operator'))).status).toBe(201);
    expect((await http<ErrorBody>('POST', `${stack.urls.onboarding}/v1/programmes`, definition, as('operator'))).body.error.code).toBe('ONBOARDING.PROGRAMME_EXISTS');
    const badMarketplaces = await http<ErrorBody>('POST', `${stack.urls.onboarding}/v1/programmes`, { ...definition, id: 'flipkart-bad-up', marketplaces: ['ebay', 'flipkart', 'flipkart'] }, as('operator'));
    expect(badMarketplaces.status).toBe(400);
    expect(badMarketplaces.body.error.fields?.map((f) => `${f.field}:${f.code}`).sort()).toEqual(['marketplaces:arrayUnique', 'marketplaces:isIn']);
    const { id: _id, ...update } = { ...definition, states: ['09', '05'], marketplaces: ['walmart', 'flipkart'], expectedVersion: 1 };
    expect((await http('PUT', `${stack.urls.onboarding}/v1/programmes/flipkart-samarth-up`, update, as('operator'))).status).toBe(200);
    const stale = await http<ErrorBody>('PUT', `${stack.urls.onboarding}/v1/programmes/flipkart-samarth-up`, update, as('operator'));
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'ONBOARDING.STALE_PROGRAMME_VERSION', currentVersion: 2 });

    const records = await eventually(async () => {
      const all = await readWholeTopic(brokers(), stack.topic(Topics.onboardingProgramme));
      expect(all.filter((r) => r.key === 'flipkart-samarth-up')).toHaveLength(2);
      return all;
    });
    expect(records.filter((r) => r.headers.ce_type === 'niryat.onboarding.programme.defined.v1').map((r) => r.key).sort()).toEqual(
      ['amazon-global-selling', 'flipkart-samarth-up', 'flipkart-walmart-odop-up', 'walmart-vriddhi'],
    );
    const samarth = records.filter((r) => r.key === 'flipkart-samarth-up').map((r) => JSON.parse(r.value ?? '{}'));
    // Without marketplaces the partner's own counts; the update names two (kept in alphabetical order).
    expect(samarth.map((p) => [p.version, p.states, p.marketplaces])).toEqual([
      [1, ['09'], ['flipkart']],
      [2, ['05', '09'], ['flipkart', 'walmart']],
    ]);
  });
});
