import { eventually } from '@niryat/testing';
import { http, PlatformStack } from './platform-stack';

interface ReportBody {
  rows: { programme: string; stateCode: string; approvedSellers: number }[];
  totalApprovedSellers: number;
}

const PROGRAMMES = ['amazon-global-selling', 'flipkart-walmart-odop-up', 'walmart-vriddhi'];
const STATES = ['09', '06', '08', '27', '33'];

describe('seller approval flows from onboarding to reporting (four real services, Kafka, Postgres)', () => {
  const stack = new PlatformStack();

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('answers /health with 200 on all four services, with database and Kafka up', async () => {
    for (const url of Object.values(stack.urls)) {
      const { status, body } = await http<{ details: Record<string, { status: string }> }>('GET', `${url}/health`);
      expect(status).toBe(200);
      expect(body.details).toEqual({ database: { status: 'up' }, kafka: { status: 'up' } });
    }
    const openapi = await http<{ paths: Record<string, unknown> }>('GET', `${stack.urls.onboarding}/docs/openapi.json`);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/sellers', '/v1/sellers/{id}/approve']));
  });

  it('counts N sellers registered and approved over HTTP exactly N times in the reporting view', async () => {
    const sellers = Array.from({ length: 30 }, (_, i) => ({
      legalName: `E2E Exporter ${i}`,
      stateCode: STATES[i % STATES.length],
      programmes: i % 4 === 0 ? [PROGRAMMES[i % 3], PROGRAMMES[(i + 1) % 3]] : [PROGRAMMES[i % 3]],
    }));
    const expected = new Map<string, number>();
    for (const seller of sellers) {
      for (const programme of seller.programmes) {
        const key = `${programme}|${seller.stateCode}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }

    for (const seller of sellers) {
      const created = await http<{ id: string; status: string }>('POST', `${stack.urls.onboarding}/v1/sellers`, seller);
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('submitted');
      const approved = await http<{ status: string }>('POST', `${stack.urls.onboarding}/v1/sellers/${created.body.id}/approve`, {
        reviewedBy: 'e2e-reviewer',
      });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
    }

    const report = await eventually(async () => {
      const { body } = await http<ReportBody>('GET', `${stack.urls.reporting}/v1/reports/sellers`);
      expect(body.totalApprovedSellers).toBe(sellers.length);
      return body;
    });
    const actual = new Map(report.rows.map((r) => [`${r.programme}|${r.stateCode}`, r.approvedSellers]));
    expect(actual).toEqual(expected);
  });

  it('rejects a second approval with 409 and the current state, and changes nothing', async () => {
    const created = await http<{ id: string }>('POST', `${stack.urls.onboarding}/v1/sellers`, {
      legalName: 'Twice Approved Traders',
      stateCode: '09',
      programmes: ['walmart-vriddhi'],
    });
    const first = await http('POST', `${stack.urls.onboarding}/v1/sellers/${created.body.id}/approve`, { reviewedBy: 'first-reviewer' });
    expect(first.status).toBe(200);
    const second = await http<{ error: { code: string; currentState: string } }>(
      'POST',
      `${stack.urls.onboarding}/v1/sellers/${created.body.id}/approve`,
      { reviewedBy: 'second-reviewer' },
    );
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'ONBOARDING.ILLEGAL_TRANSITION', currentState: 'approved' });
    const after = await http<{ status: string; approvedBy: string }>('GET', `${stack.urls.onboarding}/v1/sellers/${created.body.id}`);
    expect(after.body).toMatchObject({ status: 'approved', approvedBy: 'first-reviewer' });
  });

  it('rejects bad registrations with 400 naming every failing field, and unknown sellers with 404', async () => {
    const bad = await http<{ error: { code: string; fields: { field: string; code: string }[] } }>('POST', `${stack.urls.onboarding}/v1/sellers`, {
      legalName: 'X',
      stateCode: '42',
      programmes: ['No Such Programme'],
      unexpected: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(bad.body.error.fields.map((f) => f.field).sort()).toEqual(['legalName', 'programmes', 'stateCode', 'unexpected']);

    const unknown = await http<{ error: { code: string; fields: { field: string }[] } }>('POST', `${stack.urls.onboarding}/v1/sellers`, {
      legalName: 'Unknown Programme Exports',
      stateCode: '09',
      programmes: ['no-such-programme'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('ONBOARDING.UNKNOWN_PROGRAMME');

    const missing = await http<{ error: { code: string } }>('POST', `${stack.urls.onboarding}/v1/sellers/00000000-0000-4000-8000-000000000000/approve`, {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ONBOARDING.SELLER_NOT_FOUND');
  });
});
