import { sellerRegistration } from '@niryat/testing';
import { http, PlatformStack } from './platform-stack';

/**
 * No service's output carries a seller's identifiers, contacts or bank account, whatever a client
 * makes fail: the four services' whole stdout and stderr are read after requests that fail in the
 * database, in validation and on conflicts, as a registrant can send them at will.
 */
describe('personal data never reaches a log (four compiled services, real Kafka and Postgres)', () => {
  const stack = new PlatformStack();

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('keeps PAN, GSTIN, Udyam number, e-mail, mobile and account number out of every line, after failing requests', async () => {
    const registration = sellerRegistration();
    const sellers = `${stack.urls.onboarding}/v1/sellers`;
    const created = await http<{ id: string }>('POST', sellers, registration, stack.token('registrant'));
    expect(created.status).toBe(201);
    const seller = `${sellers}/${created.body.id}`;
    const answers = [
      // A NUL in a text field: Postgres refuses it, and TypeORM's own logger printed every parameter of the UPDATE.
      await http('PATCH', seller, { tradeName: 'Brass\u0000Works' }, stack.token('registrant')),
      await http('PATCH', seller, { contact: { ...registration.contact, email: 'not-an-email' } }, stack.token('registrant')),
      // The same seller again: a 409 on the unique GSTIN.
      await http('POST', sellers, registration, stack.token('registrant')),
      await http('POST', sellers, { ...registration, gstin: `${registration.gstin.slice(0, 14)}Q`, pan: registration.pan.toLowerCase() }, stack.token('registrant')),
      await http('POST', `${seller}/reject`, { reason: `PAN ${registration.pan}, mail ${registration.contact.email}` }, stack.token('reviewer')),
    ];
    expect(answers.map((a) => a.status).every((status) => status >= 400)).toBe(true);
    // Let the services write whatever they would about those requests.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const output = stack.logs.join('\n');
    expect(output).toContain('onboarding: '); // the services' output is all there
    const secrets = {
      pan: registration.pan,
      gstin: registration.gstin,
      udyamNumber: registration.udyamNumber,
      email: registration.contact.email,
      mobile: registration.contact.mobile.slice(3),
      accountNumber: registration.bankAccount.accountNumber,
    };
    const leaked = Object.entries(secrets).filter(([, value]) => output.includes(value) || output.includes(value.toLowerCase()));
    expect(leaked.map(([field]) => field)).toEqual([]);
  });
});
