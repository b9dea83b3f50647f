import { eventually, sellerRegistration } from '@niryat/testing';
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

  it('answers /health with 200 on all four services, with database and Kafka up, without credentials', async () => {
    for (const url of Object.values(stack.urls)) {
      const { status, body } = await http<{ details: Record<string, { status: string }> }>('GET', `${url}/health`);
      expect(status).toBe(200);
      expect(body.details).toEqual({
        database: { status: 'up' },
        kafka: { status: 'up' },
        consumers: { status: 'up' },
        setAside: { status: 'up', outboxRows: 0, deadLetters: 0 },
        // Scheduled (the first run is 30 s after boot, so `lastRun` may or may not be there yet).
        retention: expect.objectContaining({ status: 'up', nextRunAt: expect.any(String) }),
      });
    }
    const openapi = await http<{ paths: Record<string, unknown> }>('GET', `${stack.urls.onboarding}/docs/openapi.json`);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/sellers', '/v1/sellers/{id}/approve']));
  });

  it('counts N sellers registered and approved over HTTP exactly N times in the reporting view', async () => {
    const sellers = Array.from({ length: 30 }, (_, i) => {
      const stateCode = STATES[i % STATES.length];
      const programmes = (i % 4 === 0 ? [PROGRAMMES[i % 3], PROGRAMMES[(i + 1) % 3]] : [PROGRAMMES[i % 3]]).filter(
        (p) => p !== 'flipkart-walmart-odop-up' || stateCode === '09', // the ODOP programme is open to Uttar Pradesh only
      );
      return sellerRegistration({ stateCode, district: 'Test District', programmes: programmes.length ? programmes : ['walmart-vriddhi'] });
    });
    const expected = new Map<string, number>();
    for (const seller of sellers) {
      for (const programme of seller.programmes) {
        const key = `${programme}|${seller.stateCode}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }

    for (const seller of sellers) {
      const created = await http<{ id: string; status: string }>('POST', `${stack.urls.onboarding}/v1/sellers`, seller, stack.token('registrant'));
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('submitted');
      const sellerUrl = `${stack.urls.onboarding}/v1/sellers/${created.body.id}`;
      expect((await http('POST', `${sellerUrl}/start-review`, {}, stack.token('reviewer'))).status).toBe(200);
      const approved = await http<{ status: string }>('POST', `${sellerUrl}/approve`, {}, stack.token('reviewer'));
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
    }

    const report = await eventually(async () => {
      const { body } = await http<ReportBody>('GET', `${stack.urls.reporting}/v1/reports/sellers`, undefined, stack.token('analyst'));
      expect(body.totalApprovedSellers).toBe(sellers.length);
      return body;
    });
    const actual = new Map(report.rows.map((r) => [`${r.programme}|${r.stateCode}`, r.approvedSellers]));
    expect(actual).toEqual(expected);
  });

  it('serves the other reporting views to analysts only, consistent with what was approved', async () => {
    const analyst = stack.token('analyst');
    // The funnel's approved counts add up to the approvals the report above counted, programme by programme.
    const funnel = await eventually(async () => {
      const answer = await http<{ rows: { programme: string; stateCode: string; approved: number }[] }>('GET', `${stack.urls.reporting}/v1/reports/funnel`, undefined, analyst);
      const sellers = await http<ReportBody>('GET', `${stack.urls.reporting}/v1/reports/sellers`, undefined, analyst);
      expect(answer.status).toBe(200);
      const approved = new Map(answer.body.rows.filter((r) => r.approved > 0).map((r) => [`${r.programme}|${r.stateCode}`, r.approved]));
      expect(approved).toEqual(new Map(sellers.body.rows.map((r) => [`${r.programme}|${r.stateCode}`, r.approvedSellers])));
      return answer.body.rows;
    });
    expect(funnel.length).toBeGreaterThan(0);
    for (const path of ['/v1/reports/exports', '/v1/reports/training', '/v1/reports/progress']) {
      expect({ path, status: (await http('GET', `${stack.urls.reporting}${path}`, undefined, analyst)).status }).toEqual({ path, status: 200 });
      expect({ path, status: (await http('GET', `${stack.urls.reporting}${path}`, undefined, stack.token('registrant'))).status }).toEqual({ path, status: 403 });
    }
  });

  it('gives any report table as CSV on Accept: text/csv, with the same rows as the JSON answer', async () => {
    const analyst = stack.token('analyst');
    const json = await http<ReportBody>('GET', `${stack.urls.reporting}/v1/reports/sellers`, undefined, analyst);
    const response = await fetch(`${stack.urls.reporting}/v1/reports/sellers`, { headers: { accept: 'text/csv', authorization: `Bearer ${analyst}` } });
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="sellers.csv"');
    const [header, ...lines] = (await response.text()).trim().split('\r\n');
    expect(header.split(',')).toEqual(expect.arrayContaining(['programme', 'stateCode', 'approvedSellers', 'stateName']));
    expect(lines).toHaveLength(json.body.rows.length);
    const denied = await fetch(`${stack.urls.reporting}/v1/reports/sellers`, { headers: { accept: 'text/csv', authorization: `Bearer ${stack.token('registrant')}` } });
    expect(denied.status).toBe(403);
  });
});
