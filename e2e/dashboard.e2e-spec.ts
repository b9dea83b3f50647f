import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Marketplace, partnerOrderKey, partnerOrdersTopic, toKafkaHeaders } from '@niryat/contracts';
import { eventually, sellerRegistration, testInfra } from '@niryat/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Browser, chromium, ConsoleMessage, Page } from 'playwright-core';
import { http, PlatformStack } from './platform-stack';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = join(__dirname, '..');
const SCREENSHOT = join(ROOT, 'artifacts', 'dashboard.png');

/** A small programme of this test's own, so its orders cross milestones and move its progress bar. */
const PILOT = {
  id: 'artisan-exports-pilot',
  name: 'Artisan Exports Pilot',
  partner: 'amazon',
  // A pilot run on two marketplaces: its Flipkart and Amazon orders both count in it.
  marketplaces: ['amazon', 'flipkart'],
  kind: 'export',
  allIndia: true,
  states: [],
  startsOn: '2025-10-01',
  exportTargetUsd: 6_000,
  exportTargetBasis: 'cumulative',
  exportTargetDeadline: '2027-03-31',
  milestoneStepUsd: 1_000,
};
const ODOP = 'flipkart-walmart-odop-up';
const VRIDDHI = 'walmart-vriddhi';

// What the report API answers (the fields the dashboard shows).
interface ExportRow {
  programme: string;
  stateCode: string;
  stateName: string;
  month: string;
  valueUsdMinor: string;
  valueInrMinor: string;
  orders: number;
  returns: number;
}
interface ProgrammeProgress {
  programme: string;
  name: string;
  cumulativeUsd: string;
  daysToDeadline: number | null;
  target: { percent: string; achievedUsd: string } | null;
  milestonesReached: number;
}
interface FunnelRow {
  programme: string;
  stateCode: string;
  registered: number;
  approved: number;
  enrolled: number;
  exporting: number;
}
interface TrainingRow {
  programme: string;
  stateCode: string;
  enrolled: number;
  certified: number;
}
interface ImpactRow {
  programme: string;
  certified: boolean;
  sellers: number;
  exportingSellers: number;
  valueUsdMinor: string;
  valuePerSellerUsdMinor: string;
}
interface Reports {
  exports: ExportRow[];
  progress: ProgrammeProgress[];
  milestones: Map<string, number>;
  funnel: FunnelRow[];
  training: TrainingRow[];
  /** null while the impact view is not served (404). */
  impact: ImpactRow[] | null;
  quarters: { programme: string; quarters: { quarter: string; valueUsd: string; growthPercent: string | null }[] }[];
}

/** One number on the page: its data attributes and its text. */
interface Shown {
  testid: string;
  programme?: string;
  state?: string;
  field?: string;
  certified?: string;
  quarter?: string;
  value?: string;
  text: string;
}

/** Minor units as money text, grouped in threes ($) or the Indian way (₹), independently of the page's code. */
function money(minorUnits: bigint | string, symbol: '$' | '₹'): string {
  const value = BigInt(minorUnits);
  const abs = value < 0n ? -value : value;
  const digits = (abs / 100n).toString();
  const grouped =
    symbol === '$' || digits.length <= 3
      ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
      : `${digits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${digits.slice(-3)}`;
  return `${value < 0n ? '-' : ''}${symbol}${grouped}.${(abs % 100n).toString().padStart(2, '0')}`;
}
const total = (values: (string | number)[]) => values.reduce<bigint>((sum, v) => sum + BigInt(v), 0n);
const plain = (text: string) => text.replace(/,/g, '');

describe('dashboard (real services, Kafka, Postgres; Debian chromium through playwright-core)', () => {
  const stack = new PlatformStack();
  const kafka = new Kafka({ clientId: 'e2e-dashboard', brokers: testInfra().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  let producer: Producer;
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: ConsoleMessage[] = [];
  const orders: { partner: string; account: string; usdMinor: bigint }[] = [];
  let tiruppur: string;

  const analyst = () => stack.token('analyst');
  const report = async <T>(path: string): Promise<{ status: number; body: T }> => http<T>('GET', `${stack.urls.reporting}${path}`, undefined, analyst());

  async function reports(): Promise<Reports> {
    const [exports, progress, funnel, training, impact, quarters] = await Promise.all([
      report<{ rows: ExportRow[] }>('/v1/reports/exports'),
      report<{ programmes: ProgrammeProgress[] }>('/v1/reports/progress'),
      report<{ rows: FunnelRow[] }>('/v1/reports/funnel'),
      report<{ rows: TrainingRow[] }>('/v1/reports/training'),
      report<{ rows: ImpactRow[] }>('/v1/reports/impact'),
      report<{ programmes: Reports['quarters'] }>('/v1/reports/progress/quarters'),
    ]);
    for (const answer of [exports, progress, funnel, training, quarters]) expect(answer.status).toBe(200);
    expect([200, 404]).toContain(impact.status);
    const milestones = new Map<string, number>();
    for (const p of progress.body.programmes) {
      const answer = await report<{ milestones: unknown[] }>(`/v1/reports/progress/${p.programme}/milestones`);
      expect(answer.status).toBe(200);
      milestones.set(p.programme, answer.body.milestones.length);
    }
    return {
      exports: exports.body.rows,
      progress: progress.body.programmes,
      milestones,
      funnel: funnel.body.rows,
      training: training.body.rows,
      impact: impact.status === 200 ? impact.body.rows : null,
      quarters: quarters.body.programmes,
    };
  }

  async function onboard(stateCode: string, district: string, programmes: string[], accounts: [string, string][], approve = true): Promise<string> {
    const sellers = `${stack.urls.onboarding}/v1/sellers`;
    const created = await http<{ id: string }>('POST', sellers, sellerRegistration({ stateCode, district, programmes }), stack.token('registrant'));
    expect(created.status).toBe(201);
    if (!approve) return created.body.id;
    expect((await http('POST', `${sellers}/${created.body.id}/start-review`, {}, stack.token('reviewer'))).status).toBe(200);
    expect((await http('POST', `${sellers}/${created.body.id}/approve`, {}, stack.token('reviewer'))).status).toBe(200);
    for (const programmeId of programmes) {
      // Enrolled since the pilot began (a reviewer records it): the orders of the months below count in the programmes.
      expect((await http('POST', `${sellers}/${created.body.id}/enrolments`, { programmeId, enrolledSince: '2025-10-01' }, stack.token('reviewer'))).status).toBe(201);
    }
    for (const [marketplace, accountId] of accounts) {
      expect((await http('POST', `${sellers}/${created.body.id}/marketplace-accounts`, { marketplace, accountId }, stack.token('operator'))).status).toBe(201);
    }
    return created.body.id;
  }

  /** A shipped order as a partner sends it, on the partner topic. */
  async function ship(partner: Marketplace, account: string, orderId: string, day: string, lines: { quantity: number; unitPriceMinor: number }[], extra: { type: string; payload: Record<string, unknown> }[] = []) {
    const shipped = {
      type: 'niryat.partner.order.shipped.v1',
      payload: {
        eventId: `${orderId}-shipped`,
        orderId,
        sequence: 1,
        occurredAt: `${day}T06:30:00.000Z`,
        sellerAccountId: account,
        destinationCountry: 'US',
        currency: 'USD',
        lines: lines.map((line, i) => ({ lineId: `L${i + 1}`, sku: `SKU-${i + 1}`, hsCode: '74198030', ...line })),
      },
    };
    await producer.send({
      topic: stack.topic(partnerOrdersTopic(partner)),
      messages: [shipped, ...extra].map(({ type, payload }) => ({
        key: partnerOrderKey(partner, orderId),
        value: JSON.stringify(payload),
        headers: toKafkaHeaders({ id: String(payload.eventId), type, source: partner, time: String(payload.occurredAt) }),
      })),
    });
    orders.push({ partner, account, usdMinor: lines.reduce((sum, l) => sum + BigInt(l.quantity * l.unitPriceMinor), 0n) });
  }

  /** Certifies a learner: a session of every required module attended, every assessment passed. */
  async function certify(cohortId: string, sellerId: string) {
    const staff = stack.token('reviewer');
    const training = stack.urls.training;
    await eventually(async () => {
      const cohort = await http<{ learners: { sellerId: string; status: string }[] }>('GET', `${training}/v1/cohorts/${cohortId}`, undefined, staff);
      expect(cohort.body.learners).toContainEqual(expect.objectContaining({ sellerId, status: 'enrolled' }));
    }, { timeoutMs: 30_000 });
    const curricula = await http<{ items: { id: string; modules: { code: string; required: boolean; passMark?: number }[] }[] }>('GET', `${training}/v1/curricula?programmeId=${VRIDDHI}`, undefined, staff);
    const required = (curricula.body.items.find((c) => c.id === 'vriddhi-2026')?.modules ?? []).filter((m) => m.required);
    expect(required.length).toBeGreaterThan(0);
    for (const [i, module] of required.entries()) {
      const session = await http<{ id: string }>('POST', `${training}/v1/cohorts/${cohortId}/sessions`, { moduleCode: module.code, heldOn: future(3, 1 + i) }, staff);
      expect(session.status).toBe(201);
      expect((await http('POST', `${training}/v1/cohorts/${cohortId}/sessions/${session.body.id}/attendance`, { sellerIds: [sellerId] }, staff)).status).toBe(200);
      if (module.passMark !== undefined) {
        expect((await http('POST', `${training}/v1/cohorts/${cohortId}/assessments`, { sellerId, moduleCode: module.code, score: module.passMark + 12 }, staff)).status).toBe(200);
      }
    }
  }

  /** Every number the page shows, read from the DOM, with the chart data Chart.js holds. */
  async function shownOnPage() {
    const numbers = await page.$$eval('[data-testid]', (elements) =>
      elements.filter((e) => e.dataset.value !== undefined).map((e) => ({ ...e.dataset, text: (e.textContent ?? '').trim() })),
    );
    const charts = await page.evaluate(() => {
      const { Chart, document } = globalThis as unknown as {
        Chart: { getChart(canvas: unknown): { data: { labels: string[]; datasets: { programme?: string; data: number[] }[] } } | undefined };
        document: { querySelector(selector: string): { dataset: Record<string, string> } | null };
      };
      const data = (testid: string) => Chart.getChart(document.querySelector(`[data-testid="${testid}"]`))?.data;
      const line = data('cumulative-chart');
      const bars = data('state-chart');
      return {
        lastPointByProgramme: Object.fromEntries((line?.datasets ?? []).map((d) => [d.programme, d.data[d.data.length - 1]])),
        months: line?.labels ?? [],
        markers: Number(document.querySelector('[data-testid="cumulative-chart"]')?.dataset.markers),
        bars: (bars?.labels ?? []).map((label, i) => [label, bars?.datasets[0].data[i]]),
      };
    });
    return { numbers: numbers as Shown[], charts };
  }

  /** Asserts that every number on the page is the API's, and that nothing the API has is missing. */
  async function expectPageEqualsApi(): Promise<Reports> {
    return eventually(async () => {
      const api = await reports();
      const { numbers, charts } = await shownOnPage();
      const only = (testid: string) => numbers.filter((n) => n.testid === testid);
      const one = (testid: string, where: Partial<Shown> = {}) => {
        const found = only(testid).filter((n) => Object.entries(where).every(([k, v]) => n[k as keyof Shown] === v));
        expect(found).toHaveLength(1);
        return found[0];
      };

      // Headline numbers: all programmes ('*'), each seller and order once.
      const all = api.exports.filter((r) => r.programme === '*');
      const usd = total(all.map((r) => r.valueUsdMinor));
      const inr = total(all.map((r) => r.valueInrMinor));
      expect(one('total-usd').value).toBe(usd.toString());
      expect(one('total-usd-exact').text).toBe(money(usd, '$'));
      expect(one('total-inr-exact').text).toBe(money(inr, '₹'));
      expect(plain(one('total-orders').text)).toBe(total(all.map((r) => r.orders)).toString());
      expect(plain(one('total-returns').text)).toBe(total(all.map((r) => r.returns)).toString());
      expect(one('total-states').text).toBe(String(new Set(all.map((r) => r.stateCode)).size));

      // Programme cards: cumulative value, progress to target, milestones.
      expect(only('programme-cumulative').map((n) => n.programme).sort()).toEqual(api.progress.map((p) => p.programme).sort());
      for (const p of api.progress) {
        expect(one('programme-cumulative', { programme: p.programme }).value).toBe(p.cumulativeUsd);
        if (p.target) {
          const percent = one('programme-percent', { programme: p.programme });
          expect([percent.value, percent.text]).toEqual([p.target.percent, `${p.target.percent}%`]);
          expect(one('programme-achieved', { programme: p.programme }).value).toBe(p.target.achievedUsd);
        }
        if (p.daysToDeadline !== null) expect(one('programme-days-to-deadline', { programme: p.programme }).value).toBe(String(p.daysToDeadline));
        if (api.milestones.get(p.programme)) {
          const shown = one('programme-milestones', { programme: p.programme });
          expect([shown.value, shown.text]).toEqual([String(p.milestonesReached), String(api.milestones.get(p.programme))]);
        }
      }

      // Exports by state, summed from the API's rows per state × month.
      const states = [...new Set(all.map((r) => r.stateCode))];
      expect(new Set(only('state-cell').map((n) => n.state))).toEqual(new Set(states));
      for (const state of states) {
        const rows = all.filter((r) => r.stateCode === state);
        expect(one('state-cell', { state, field: 'valueUsdMinor' }).text).toBe(money(total(rows.map((r) => r.valueUsdMinor)), '$'));
        expect(one('state-cell', { state, field: 'valueInrMinor' }).text).toBe(money(total(rows.map((r) => r.valueInrMinor)), '₹'));
        expect(plain(one('state-cell', { state, field: 'orders' }).text)).toBe(total(rows.map((r) => r.orders)).toString());
        expect(plain(one('state-cell', { state, field: 'returns' }).text)).toBe(total(rows.map((r) => r.returns)).toString());
      }

      // Funnel and training: one cell per row and field, nothing more.
      const steps = ['registered', 'approved', 'enrolled', 'exporting'] as const;
      expect(only('funnel-cell')).toHaveLength(api.funnel.length * steps.length);
      for (const row of api.funnel) {
        for (const field of steps) expect(plain(one('funnel-cell', { programme: row.programme, state: row.stateCode, field }).text)).toBe(String(row[field]));
      }
      expect(only('training-cell')).toHaveLength(api.training.length * 2);
      for (const row of api.training) {
        for (const field of ['enrolled', 'certified'] as const) expect(plain(one('training-cell', { programme: row.programme, state: row.stateCode, field }).text)).toBe(String(row[field]));
      }

      // Training impact: the API's rows, or an empty table while the view is not served.
      const impactRows = api.impact ?? [];
      expect(only('impact-cell')).toHaveLength(impactRows.length * 4);
      for (const row of impactRows) {
        const where = { programme: row.programme, certified: String(row.certified) };
        expect(plain(one('impact-cell', { ...where, field: 'sellers' }).text)).toBe(String(row.sellers));
        expect(plain(one('impact-cell', { ...where, field: 'exportingSellers' }).text)).toBe(String(row.exportingSellers));
        expect(one('impact-cell', { ...where, field: 'valueUsdMinor' }).text).toBe(money(row.valueUsdMinor, '$'));
        expect(one('impact-cell', { ...where, field: 'valuePerSellerUsdMinor' }).text).toBe(money(row.valuePerSellerUsdMinor, '$'));
      }

      // Quarter on quarter: one value and one growth cell per programme × quarter, as the API says.
      const quarterRows = api.quarters.flatMap((p) => p.quarters.map((q) => ({ ...q, programme: p.programme })));
      expect(only('quarter-cell')).toHaveLength(quarterRows.length * 2);
      for (const q of quarterRows) {
        expect(one('quarter-cell', { programme: q.programme, quarter: q.quarter, field: 'valueUsd' }).text).toBe(money(q.valueUsd.replace('.', ''), '$'));
        expect(one('quarter-cell', { programme: q.programme, quarter: q.quarter, field: 'growthPercent' }).value).toBe(q.growthPercent ?? '');
      }

      // Charts: each programme's line ends at its total, one bar per state, a marker per milestone.
      const perProgramme = api.exports.filter((r) => r.programme !== '*');
      const programmesWithExports = [...new Set(perProgramme.map((r) => r.programme))];
      expect(Object.keys(charts.lastPointByProgramme).sort()).toEqual(programmesWithExports.sort());
      for (const programme of programmesWithExports) {
        expect(charts.lastPointByProgramme[programme]).toBe(Number(total(perProgramme.filter((r) => r.programme === programme).map((r) => r.valueUsdMinor))) / 100);
      }
      expect(charts.markers).toBe(programmesWithExports.reduce((n, p) => n + (api.milestones.get(p) ?? 0), 0));
      expect(Object.fromEntries(charts.bars)).toEqual(
        Object.fromEntries(states.map((s) => [all.find((r) => r.stateCode === s)?.stateName, Number(total(all.filter((r) => r.stateCode === s).map((r) => r.valueUsdMinor))) / 100])),
      );
      return api;
    }, { timeoutMs: 20_000, intervalMs: 500 });
  }

  beforeAll(async () => {
    await stack.start();
    producer = kafka.producer();
    await producer.connect();
    const operator = stack.token('operator');
    expect((await http('POST', `${stack.urls.onboarding}/v1/programmes`, PILOT, operator)).status).toBe(201);
    const cohort = await http<{ id: string }>(
      'POST',
      `${stack.urls.training}/v1/cohorts`,
      { curriculumId: 'vriddhi-2026', instituteId: 'online', startsOn: future(2), endsOn: future(5), capacity: 50 },
      stack.token('reviewer'),
    );
    expect(cohort.status).toBe(201);

    await onboard('09', 'Moradabad', [ODOP, PILOT.id], [['flipkart', 'FK-MBH-1'], ['amazon', 'AMZ-MBH-1']]);
    await onboard('08', 'Jaipur', [PILOT.id], [['amazon', 'AMZ-JBP-1']]);
    tiruppur = await onboard('33', 'Tiruppur', [PILOT.id, VRIDDHI], [['amazon', 'AMZ-TKE-1']]);
    await onboard('06', 'Panipat', [VRIDDHI], [], false); // registered, still waiting for review
    await certify(cohort.body.id, tiruppur);

    // Six months of orders; the pilot crosses four USD 1,000 milestones (a return takes USD 83.25 back).
    await ship('flipkart', 'FK-MBH-1', 'OD-1', '2025-10-14', [{ quantity: 12, unitPriceMinor: 4_250 }]);
    await ship('amazon', 'AMZ-JBP-1', 'AZ-1', '2025-11-03', [{ quantity: 6, unitPriceMinor: 8_999 }, { quantity: 2, unitPriceMinor: 12_500 }]);
    await ship('amazon', 'AMZ-MBH-1', 'AZ-2', '2025-12-19', [{ quantity: 20, unitPriceMinor: 3_150 }]);
    const later = (kind: string, sequence: number, occurredAt: string, extra: Record<string, unknown> = {}) => ({
      type: `niryat.partner.order.${kind}.v1`,
      payload: { eventId: `OD-2-${kind}`, orderId: 'OD-2', sequence, occurredAt, sellerAccountId: 'FK-MBH-1', destinationCountry: 'US', currency: 'USD', ...extra },
    });
    await ship('flipkart', 'FK-MBH-1', 'OD-2', '2026-01-22', [{ quantity: 30, unitPriceMinor: 2_775 }], [
      later('delivered', 2, '2026-01-30T09:00:00.000Z'),
      later('returned', 3, '2026-02-05T09:00:00.000Z', { lines: [{ lineId: 'L1', quantity: 3 }] }),
    ]);
    await ship('amazon', 'AMZ-JBP-1', 'AZ-3', '2026-02-11', [{ quantity: 9, unitPriceMinor: 10_400 }]);
    await ship('amazon', 'AMZ-MBH-1', 'AZ-4', '2026-03-02', [{ quantity: 14, unitPriceMinor: 5_600 }]);

    // Everything through the pipeline into reporting: every order, the return, the certificate.
    await eventually(async () => {
      const api = await reports();
      const all = api.exports.filter((r) => r.programme === '*');
      expect(total(all.map((r) => r.orders))).toBe(BigInt(orders.length));
      expect(total(all.map((r) => r.returns))).toBe(1n);
      expect(api.milestones.get(PILOT.id)).toBe(4);
      expect(api.training.some((r) => r.certified > 0)).toBe(true);
      expect(api.funnel.some((r) => r.registered > r.approved)).toBe(true);
    }, { timeoutMs: 60_000, intervalMs: 250 });

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    // Reduced motion: the page then draws its charts without animation, so the screenshot shows the final state.
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message);
    });
    page.on('pageerror', (error) => consoleErrors.push({ type: () => 'pageerror', text: () => error.message, location: () => ({ url: '' }) } as unknown as ConsoleMessage));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await stack.stop();
  });

  it('serves the page and its files without a credential, and nothing else under /dashboard', async () => {
    const html = await fetch(`${stack.urls.reporting}/dashboard`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await html.text()).toContain('<script type="module" src="/dashboard/dashboard.js">');
    for (const [file, type] of [['dashboard.js', 'text/javascript'], ['dashboard.css', 'text/css'], ['chart.umd.min.js', 'text/javascript']]) {
      const answer = await fetch(`${stack.urls.reporting}/dashboard/${file}`);
      expect([file, answer.status, answer.headers.get('content-type')]).toEqual([file, 200, expect.stringContaining(type)]);
    }
    expect((await fetch(`${stack.urls.reporting}/dashboard/..%2Fdashboard.controller.js`)).status).toBe(404);
    // The data behind it is not public.
    expect((await fetch(`${stack.urls.reporting}/v1/reports/progress`)).status).toBe(401);
  });

  it('asks for a token without one, and again when the API refuses it', async () => {
    const tab = await (browser as Browser).newPage();
    try {
      await tab.goto(`${stack.urls.reporting}/dashboard`);
      await tab.waitForSelector('body[data-state="token"]');
      expect(await tab.isVisible('[data-testid="token-form"]')).toBe(true);
      expect(await tab.isVisible('[data-testid="dashboard"]')).toBe(false);
      await tab.fill('input[name="token"]', 'niryat_nobody_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      await tab.click('button[type="submit"]');
      await tab.waitForSelector('[data-testid="error-banner"]:has-text("401")');
      expect(await tab.isVisible('[data-testid="token-form"]')).toBe(true);
      expect(await tab.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length)).toBe(0);
    } finally {
      await tab.close();
    }
  });

  it('shows exactly the numbers of the report API, with the token from the URL fragment', async () => {
    await page.goto(`${stack.urls.reporting}/dashboard#token=${analyst()}&interval=1000`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    expect(page.url()).not.toContain('token='); // out of the address bar once read
    expect(page.url()).toContain('interval=1000');

    const api = await expectPageEqualsApi();
    expect(api.progress.find((p) => p.programme === PILOT.id)?.milestonesReached).toBe(4);
    // Attribution: ODOP (Flipkart + Walmart) counts the Flipkart orders only, less the USD 83.25 returned;
    // the pilot (Amazon + Flipkart) every order; the page shows the same (expectPageEqualsApi).
    const cents = (decimal: string | undefined) => BigInt((decimal ?? '').replace('.', ''));
    const flipkart = total(orders.filter((o) => o.partner === 'flipkart').map((o) => o.usdMinor.toString()));
    expect(cents(api.progress.find((p) => p.programme === ODOP)?.cumulativeUsd)).toBe(flipkart - 8_325n);
    expect(cents(api.progress.find((p) => p.programme === PILOT.id)?.cumulativeUsd)).toBe(total(orders.map((o) => o.usdMinor.toString())) - 8_325n);
    // Every programme the exports named was in the catalogue: nothing waits set aside.
    const setAside = await report<{ programmes: unknown[] }>('/v1/reports/exports/set-aside');
    expect([setAside.status, setAside.body]).toEqual([200, { programmes: [] }]);
    // Quarter on quarter: each quarter's growth on the one before, worked out here from the values.
    const pilotQuarters = api.quarters.find((p) => p.programme === PILOT.id)?.quarters ?? [];
    expect(pilotQuarters.map((q) => q.quarter)).toEqual(['2025-Q4', '2026-Q1']);
    const [q4, q1] = pilotQuarters.map((q) => cents(q.valueUsd));
    const diff = q1 - q4;
    const tenths = ((diff < 0n ? -diff : diff) * 2_000n + q4) / (2n * q4); // one decimal, half away from zero
    expect(pilotQuarters.map((q) => q.growthPercent)).toEqual([null, `${diff < 0n ? '-' : ''}${tenths / 10n}.${tenths % 10n}`]);
    expect(await page.isVisible('[data-testid="error-banner"]')).toBe(false);
    expect(await page.textContent('[data-testid="updated"]')).toMatch(/^updated \d\d:\d\d:\d\d$/);
  });

  it('updates itself while orders keep coming (polling), and the screenshot shows it', async () => {
    const before = await reports();
    const usdBefore = total(before.exports.filter((r) => r.programme === '*').map((r) => r.valueUsdMinor));
    expect(before.exports.some((r) => r.stateCode === '33')).toBe(false);
    const refreshes = Number(await page.getAttribute('body', 'data-refreshes'));
    await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true })); // gone if the page were reloaded

    // A first shipment from Tamil Nadu.
    await ship('amazon', 'AMZ-TKE-1', 'AZ-5', '2026-03-18', [{ quantity: 40, unitPriceMinor: 2_199 }]);
    const expected = (usdBefore + orders[orders.length - 1].usdMinor).toString();
    await page.waitForFunction(
      (value) => (globalThis as unknown as { document: { querySelector(s: string): { dataset: { value?: string } } | null } }).document.querySelector('[data-testid="total-usd"]')?.dataset.value === value,
      expected,
      { timeout: 30_000, polling: 200 },
    );
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(Number(await page.getAttribute('body', 'data-refreshes'))).toBeGreaterThan(refreshes);
    expect(await page.textContent('[data-testid="state-name"][data-state="33"]')).toBe('Tamil Nadu');
    await expectPageEqualsApi();

    mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    process.stdout.write(`dashboard screenshot: ${relative(process.cwd(), SCREENSHOT) || SCREENSHOT}\n`);
  });

  it('wrote nothing to the browser console but the 404 of a view not served yet', async () => {
    const impactServed = (await report('/v1/reports/impact')).status === 200;
    const unexpected = consoleErrors.filter((m) => impactServed || !(m.text().includes('404') && m.location().url.endsWith('/v1/reports/impact')));
    expect(unexpected.map((m) => `${m.type()}: ${m.text()} (${m.location().url})`)).toEqual([]);
  });
});

/** A day a few months ahead, so a cohort has not started whenever the test runs. */
function future(months: number, day = 1): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months, day);
  return d.toISOString().slice(0, 10);
}
