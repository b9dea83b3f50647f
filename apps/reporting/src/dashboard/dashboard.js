// The reporting dashboard. Reads the report API with an analyst token and redraws itself every
// few seconds. A plain ES module with no build step; Chart.js (UMD, `window.Chart`) loads before it.
//
// The token comes in the URL fragment (`/dashboard#token=…&interval=2000`), which browsers never
// send to a server, and is kept in sessionStorage for this tab only. Money from the API is exact
// (integer minor units or decimal strings) and stays exact here (BigInt) until it is drawn.

const TOKEN_KEY = 'niryat.dashboard.token';
const DEFAULT_INTERVAL_MS = 2000;
const MIN_INTERVAL_MS = 250;
const ALL_PROGRAMMES = '*';
// Saffron, navy, green first; then colours that stay apart from them.
const PALETTE = ['#e07b00', '#1f4e9c', '#138808', '#7c3aed', '#0e7490', '#be185d', '#a16207', '#475569'];
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif";

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------- settings and token

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    params.delete('token');
    // Out of the address bar, the history and any screenshot of either.
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  }
  const interval = Number(params.get('interval'));
  return { intervalMs: Number.isFinite(interval) && interval >= MIN_INTERVAL_MS ? interval : DEFAULT_INTERVAL_MS };
}

const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

// ---------------------------------------------------------------- numbers

/** Decimal dollars and cents as the progress API gives them ("1234.50") → integer cents. */
function centsOf(decimal) {
  const negative = decimal.startsWith('-');
  const [whole, fraction = ''] = decimal.replace('-', '').split('.');
  const cents = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
  return negative ? -cents : cents;
}

const sum = (values) => values.reduce((total, value) => total + value, 0n);

function exact(minorUnits, symbol, locale) {
  const negative = minorUnits < 0n;
  const abs = negative ? -minorUnits : minorUnits;
  const whole = new Intl.NumberFormat(locale).format(abs / 100n);
  return `${negative ? '-' : ''}${symbol}${whole}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Cents → "$1,234.56", exactly. */
const usdExact = (cents) => exact(cents, '$', 'en-US');
/** Paise → "₹12,34,567.89" (Indian grouping), exactly. */
const inrExact = (paise) => exact(paise, '₹', 'en-IN');

const scaled = (value, unit) => `${value.toFixed(2).replace(/\.00$/, '')} ${unit}`;

/** Cents → "USD 1.23 bn", "USD 45.60 mn", "USD 12,346" for a headline. */
function usdHeadline(cents) {
  const dollars = Number(cents) / 100;
  const abs = Math.abs(dollars);
  if (abs >= 1e9) return `USD ${scaled(dollars / 1e9, 'bn')}`;
  if (abs >= 1e6) return `USD ${scaled(dollars / 1e6, 'mn')}`;
  return `USD ${Math.round(dollars).toLocaleString('en-US')}`;
}

/** Paise → "₹ 4.56 crore", "₹ 7.8 lakh", "₹ 12,346" for a headline. */
function inrHeadline(paise) {
  const rupees = Number(paise) / 100;
  const abs = Math.abs(rupees);
  if (abs >= 1e7) return `₹ ${scaled(rupees / 1e7, 'crore')}`;
  if (abs >= 1e5) return `₹ ${scaled(rupees / 1e5, 'lakh')}`;
  return `₹ ${Math.round(rupees).toLocaleString('en-IN')}`;
}

const count = (n) => Number(n).toLocaleString('en-IN');

const DATE = new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-IN', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const day = (isoDay) => DATE.format(new Date(`${isoDay}T00:00:00Z`));
const month = (isoMonth) => MONTH.format(new Date(`${isoMonth}-01T00:00:00Z`));

/** Every month from `first` to `last` (YYYY-MM), both included. */
function monthRange(first, last) {
  const months = [];
  let [year, m] = first.split('-').map(Number);
  for (;;) {
    const current = `${year}-${String(m).padStart(2, '0')}`;
    months.push(current);
    if (current >= last) return months;
    m += 1;
    if (m > 12) [year, m] = [year + 1, 1];
  }
}

// ---------------------------------------------------------------- DOM

/** A DOM element: `h('td', { class: 'num', data: { testid: 'x' } }, 'text', child)`. */
function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'data') for (const [name, v] of Object.entries(value)) element.dataset[name] = String(v);
    // CSSOM, which the page's Content-Security-Policy allows (style attributes it does not).
    else if (key === 'style') for (const [name, v] of Object.entries(value)) element.style.setProperty(name, v);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return element;
}

/** A table cell holding one number the test (and a person) can match to the API. */
const numberCell = (text, data, title) => h('td', { class: 'num', data, title }, text);

function fillTable(testid, rows, columns, emptyText) {
  const body = $(`[data-testid="${testid}"] tbody`);
  body.replaceChildren(...(rows.length > 0 ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: columns, data: { testid: `${testid}-empty` } }, emptyText))]));
}

// ---------------------------------------------------------------- API

class AccessRefused extends Error {
  constructor(status) {
    super(
      status === 401
        ? 'The report API refused that token (401): paste a valid analyst token.'
        : 'That token may not read reports (403): it needs the analyst (or operator) role.',
    );
  }
}

async function api(path, { optional = false } = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { Authorization: `Bearer ${storedToken()}`, Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new Error(`cannot reach the reporting service (${path})`);
  }
  if (response.status === 401 || response.status === 403) throw new AccessRefused(response.status);
  // A view this deployment does not serve yet: shown empty, not as a failure.
  if (optional && response.status === 404) return null;
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    const reason = body?.error ? `${body.error.code}: ${body.error.message}` : response.statusText;
    throw new Error(`${path} answered ${response.status} ${reason}`);
  }
  return response.json();
}

async function load() {
  const [progress, exportTotals, funnel, training, impact, quarters] = await Promise.all([
    api('/v1/reports/progress'),
    // No programme filter: the rows of every programme and those of all programmes ('*') together.
    api('/v1/reports/exports'),
    api('/v1/reports/funnel'),
    api('/v1/reports/training'),
    api('/v1/reports/impact', { optional: true }),
    api('/v1/reports/progress/quarters'),
  ]);
  const reached = progress.programmes.filter((p) => p.milestonesReached > 0);
  const milestones = await Promise.all(reached.map((p) => api(`/v1/reports/progress/${encodeURIComponent(p.programme)}/milestones`)));
  return {
    programmes: progress.programmes,
    exports: exportTotals.rows,
    funnel: funnel.rows,
    training: training.rows,
    impact: impact?.rows ?? [],
    quarters: quarters.programmes,
    milestones: new Map(milestones.map((m) => [m.programme, m.milestones])),
  };
}

// ---------------------------------------------------------------- sections

function renderKpis(allRows) {
  const usd = sum(allRows.map((r) => BigInt(r.valueUsdMinor)));
  const inr = sum(allRows.map((r) => BigInt(r.valueInrMinor)));
  const set = (testid, text, value) => {
    const element = $(`[data-testid="${testid}"]`);
    element.textContent = text;
    element.dataset.value = String(value);
  };
  set('total-usd', usdHeadline(usd), usd);
  set('total-usd-exact', usdExact(usd), usd);
  set('total-inr', inrHeadline(inr), inr);
  set('total-inr-exact', inrExact(inr), inr);
  const orders = allRows.reduce((n, r) => n + r.orders, 0);
  const returns = allRows.reduce((n, r) => n + r.returns, 0);
  set('total-orders', count(orders), orders);
  set('total-returns', count(returns), returns);
  const states = new Set(allRows.map((r) => r.stateCode)).size;
  set('total-states', count(states), states);
}

function programmeCard(p, colour, learners) {
  const data = (testid, value) => ({ testid, programme: p.programme, value });
  const cumulative = centsOf(p.cumulativeUsd);
  const parts = [
    h('header', { class: 'programme__head' }, h('h3', {}, p.name), h('span', { class: 'tag' }, p.target ? `${p.target.basis} target` : 'no export target')),
    h('p', { class: 'programme__value', data: data('programme-cumulative', p.cumulativeUsd), title: usdExact(cumulative) }, usdHeadline(cumulative)),
    h('p', { class: 'programme__caption' }, p.startsOn ? `exported since the programme began, ${day(p.startsOn)}` : 'exported so far'),
  ];
  if (p.target) {
    const percent = Number(p.target.percent);
    const period = p.target.basis === 'annual' ? ` in ${p.target.year}${p.target.yearToDate ? ' so far' : ''}` : '';
    parts.push(
      h(
        'div',
        { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.min(100, percent), 'aria-label': `${p.name}: progress to target` },
        h('span', { class: 'bar__fill', style: { width: `${Math.max(0, Math.min(100, percent))}%` } }),
      ),
      h(
        'p',
        { class: 'programme__target' },
        h('strong', { data: data('programme-percent', p.target.percent) }, `${p.target.percent}%`),
        ` of ${usdHeadline(centsOf(p.target.targetUsd))}${period} · `,
        h('span', { data: data('programme-achieved', p.target.achievedUsd), title: usdExact(centsOf(p.target.achievedUsd)) }, usdHeadline(centsOf(p.target.achievedUsd))),
        ' achieved',
      ),
    );
  }
  if (p.deadline) {
    const days = p.daysToDeadline;
    const when = days >= 0 ? `${count(days)} days to go` : `passed ${count(-days)} days ago`;
    parts.push(h('p', { class: 'programme__meta', data: data('programme-days-to-deadline', days) }, `Deadline ${day(p.deadline)} · ${when}`));
  }
  if (p.milestoneStepUsd) {
    const latest = p.latestMilestone;
    parts.push(
      h(
        'p',
        { class: 'programme__meta' },
        '◆ ',
        h('strong', { data: data('programme-milestones', p.milestonesReached) }, count(p.milestonesReached)),
        ` milestone${p.milestonesReached === 1 ? '' : 's'} of ${usdHeadline(centsOf(p.milestoneStepUsd))}`,
        latest ? ` · latest ${day(latest.reachedOn)}${latest.daysSincePrevious === null ? '' : `, ${count(latest.daysSincePrevious)} days after the one before`}` : '',
      ),
    );
  }
  if (learners) {
    parts.push(
      h(
        'p',
        { class: 'programme__meta' },
        'Learners ',
        h('strong', { data: data('programme-learners', learners.enrolled) }, count(learners.enrolled)),
        ' · certified ',
        h('strong', { data: data('programme-certified', learners.certified) }, count(learners.certified)),
      ),
    );
  }
  return h('article', { class: 'programme card', data: { programme: p.programme }, style: { '--accent': colour } }, parts);
}

function renderProgrammes(programmes, colours, training) {
  const learners = new Map();
  for (const row of training) {
    const total = learners.get(row.programme) ?? { enrolled: 0, certified: 0 };
    learners.set(row.programme, { enrolled: total.enrolled + row.enrolled, certified: total.certified + row.certified });
  }
  $('[data-testid="programmes"]').replaceChildren(...programmes.map((p) => programmeCard(p, colours.get(p.programme), learners.get(p.programme))));
}

function stateTotals(allRows) {
  const byState = new Map();
  for (const row of allRows) {
    const total = byState.get(row.stateCode) ?? { stateCode: row.stateCode, stateName: row.stateName, usd: 0n, inr: 0n, orders: 0, returns: 0 };
    total.usd += BigInt(row.valueUsdMinor);
    total.inr += BigInt(row.valueInrMinor);
    total.orders += row.orders;
    total.returns += row.returns;
    byState.set(row.stateCode, total);
  }
  return [...byState.values()].sort((a, b) => (a.usd === b.usd ? a.stateName.localeCompare(b.stateName) : a.usd > b.usd ? -1 : 1));
}

function renderStateTable(states) {
  const cell = (s, field, text, value) => numberCell(text, { testid: 'state-cell', state: s.stateCode, field, value });
  fillTable(
    'state-table',
    states.map((s) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', class: 'nowrap', data: { testid: 'state-name', state: s.stateCode } }, s.stateName),
        cell(s, 'valueUsdMinor', usdExact(s.usd), s.usd),
        cell(s, 'valueInrMinor', inrExact(s.inr), s.inr),
        cell(s, 'orders', count(s.orders), s.orders),
        cell(s, 'returns', count(s.returns), s.returns),
      ),
    ),
    5,
    'No exports recorded yet',
  );
}

const FUNNEL_STEPS = ['registered', 'approved', 'enrolled', 'exporting'];

function renderFunnel(rows, names, colours) {
  const totals = new Map();
  for (const row of rows) {
    const total = totals.get(row.programme) ?? Object.fromEntries(FUNNEL_STEPS.map((step) => [step, 0]));
    for (const step of FUNNEL_STEPS) total[step] += row[step];
    totals.set(row.programme, total);
  }
  $('[data-testid="funnels"]').replaceChildren(
    ...[...totals.entries()].map(([programme, total]) => {
      const widest = Math.max(1, ...FUNNEL_STEPS.map((step) => total[step]));
      return h(
        'div',
        { class: 'funnel', style: { '--accent': colours.get(programme) ?? PALETTE[PALETTE.length - 1] } },
        h('h3', {}, names.get(programme) ?? programme),
        FUNNEL_STEPS.map((step) =>
          h(
            'div',
            { class: 'funnel__step' },
            h('span', { class: 'funnel__label' }, step),
            h('span', { class: 'funnel__track' }, h('span', { class: 'funnel__fill', style: { width: `${(100 * total[step]) / widest}%` } })),
            h('span', { class: 'funnel__count', data: { testid: 'funnel-total', programme, field: step, value: total[step] } }, count(total[step])),
          ),
        ),
      );
    }),
  );
  fillTable(
    'funnel-table',
    rows.map((row) =>
      h(
        'tr',
        {},
        h('td', {}, names.get(row.programme) ?? row.programme),
        h('td', { class: 'nowrap' }, row.stateName),
        FUNNEL_STEPS.map((step) => numberCell(count(row[step]), { testid: 'funnel-cell', programme: row.programme, state: row.stateCode, field: step, value: row[step] })),
      ),
    ),
    6,
    'No sellers registered yet',
  );
}

function renderTraining(rows, names) {
  fillTable(
    'training-table',
    rows.map((row) =>
      h(
        'tr',
        {},
        h('td', {}, names.get(row.programme) ?? row.programme),
        h('td', { class: 'nowrap' }, row.stateName),
        ['enrolled', 'certified'].map((field) =>
          numberCell(count(row[field]), { testid: 'training-cell', programme: row.programme, state: row.stateCode, field, value: row[field] }),
        ),
      ),
    ),
    4,
    'No learners yet',
  );
}

/** The latest quarters first: what a programme grew by lately is the question asked. */
function renderQuarters(programmes) {
  const rows = programmes.flatMap((p) => [...p.quarters].reverse().map((q) => ({ ...q, programme: p.programme, name: p.name })));
  fillTable(
    'quarters-table',
    rows.map((row) => {
      const data = (field, value) => ({ testid: 'quarter-cell', programme: row.programme, quarter: row.quarter, field, value });
      const growth = row.growthPercent === null ? '–' : `${row.growthPercent.startsWith('-') ? '' : '+'}${row.growthPercent} %`;
      return h(
        'tr',
        {},
        h('td', {}, row.name),
        h('td', { class: 'nowrap' }, row.quarter),
        numberCell(usdExact(centsOf(row.valueUsd)), data('valueUsd', row.valueUsd)),
        numberCell(growth, data('growthPercent', row.growthPercent ?? '')),
      );
    }),
    4,
    'No exports attributed to a programme yet',
  );
}

function renderImpact(rows, names) {
  fillTable(
    'impact-table',
    rows.map((row) => {
      const data = (field, value) => ({ testid: 'impact-cell', programme: row.programme, certified: row.certified, field, value });
      return h(
        'tr',
        {},
        h('td', {}, names.get(row.programme) ?? row.programme),
        h('td', {}, h('span', { class: row.certified ? 'pill pill--yes' : 'pill' }, row.certified ? 'certified' : 'not certified')),
        numberCell(count(row.sellers), data('sellers', row.sellers)),
        numberCell(count(row.exportingSellers), data('exportingSellers', row.exportingSellers)),
        numberCell(usdExact(BigInt(row.valueUsdMinor)), data('valueUsdMinor', row.valueUsdMinor), inrExact(BigInt(row.valueInrMinor))),
        numberCell(usdExact(BigInt(row.valuePerSellerUsdMinor)), data('valuePerSellerUsdMinor', row.valuePerSellerUsdMinor)),
      );
    }),
    6,
    'No impact figures yet',
  );
}

// ---------------------------------------------------------------- charts

/**
 * Draws milestone markers on the cumulative chart: a diamond where each programme first crossed
 * a milestone, a dashed drop line to the month axis, and one label per programme and month
 * (several milestones crossed in one month share it, so labels never pile up).
 */
const milestoneMarkers = {
  id: 'milestoneMarkers',
  afterDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales } = chart;
    const markers = options.markers ?? [];
    ctx.save();
    for (const marker of markers) {
      const x = scales.x.getPixelForValue(marker.x);
      const y = scales.y.getPixelForValue(marker.value);
      ctx.strokeStyle = marker.colour;
      ctx.globalAlpha = 0.55;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(x, y + 6);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
      ctx.lineWidth = 2;
      ctx.fillStyle = '#ffffff';
      ctx.beginPath();
      ctx.moveTo(x, y - 6);
      ctx.lineTo(x + 6, y);
      ctx.lineTo(x, y + 6);
      ctx.lineTo(x - 6, y);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
    const labelled = new Map();
    for (const marker of markers) {
      const key = `${marker.programme}|${marker.month}`;
      const group = labelled.get(key);
      labelled.set(key, group ? { ...marker, first: group.first } : { ...marker, first: marker.milestone });
    }
    ctx.font = `600 11px ${FONT}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const label of labelled.values()) {
      // Up and to the left of the diamond: above a rising line, so the text never sits on it.
      const text = label.first === label.milestone ? `M${label.milestone}` : `M${label.first}–${label.milestone}`;
      const x = Math.max(chartArea.left + ctx.measureText(text).width, scales.x.getPixelForValue(label.x) - 7);
      const y = scales.y.getPixelForValue(label.value) - 5;
      ctx.fillStyle = label.colour;
      ctx.fillText(text, x, y);
    }
    ctx.restore();
  },
};

let cumulativeChart;
let stateChart;

function baseOptions() {
  return {
    responsive: true,
    maintainAspectRatio: false,
    // Still for those who ask their system for less motion (and for screenshots of the page).
    animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 },
    interaction: { mode: 'index', intersect: false },
    layout: { padding: { top: 18, right: 12 } },
  };
}

function renderCumulativeChart(programmes, exportRows, milestones, colours) {
  const rows = exportRows.filter((r) => r.programme !== ALL_PROGRAMMES);
  const months = rows.length > 0 ? monthRange(rows.reduce((a, r) => (r.month < a ? r.month : a), rows[0].month), rows.reduce((a, r) => (r.month > a ? r.month : a), rows[0].month)) : [];
  const datasets = [];
  const markers = [];
  for (const p of programmes) {
    const own = rows.filter((r) => r.programme === p.programme);
    if (own.length === 0) continue;
    const byMonth = new Map();
    for (const r of own) byMonth.set(r.month, (byMonth.get(r.month) ?? 0n) + BigInt(r.valueUsdMinor));
    let running = 0n;
    const data = months.map((m) => {
      running += byMonth.get(m) ?? 0n;
      return Number(running) / 100;
    });
    const colour = colours.get(p.programme);
    datasets.push({
      label: p.name,
      programme: p.programme,
      data,
      borderColor: colour,
      backgroundColor: `${colour}1f`,
      fill: false,
      tension: 0,
      pointRadius: 2.5,
      pointHoverRadius: 5,
      borderWidth: 2.5,
    });
    for (const m of milestones.get(p.programme) ?? []) {
      const index = months.indexOf(m.reachedOn.slice(0, 7));
      if (index < 0) continue;
      // Where the line (month-end totals joined by straight segments) crosses the threshold.
      const value = Number(centsOf(m.thresholdUsd)) / 100;
      const previous = index > 0 ? data[index - 1] : 0;
      const share = data[index] === previous ? 1 : Math.min(1, Math.max(0, (value - previous) / (data[index] - previous)));
      markers.push({ programme: p.programme, milestone: m.milestone, month: index, x: Math.max(0, index - 1 + share), value, colour });
    }
  }
  const canvas = $('[data-testid="cumulative-chart"]');
  canvas.dataset.markers = String(markers.length);
  if (!cumulativeChart) {
    cumulativeChart = new window.Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: [] },
      plugins: [milestoneMarkers],
      options: {
        ...baseOptions(),
        scales: {
          x: { grid: { display: false }, ticks: { callback: (_value, index) => month(cumulativeChart.data.labels[index]), maxRotation: 0, autoSkipPadding: 16 } },
          y: { beginAtZero: true, grace: '12%', ticks: { callback: (value) => usdHeadline(BigInt(Math.round(value * 100))) }, grid: { color: '#e9edf3' } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, pointStyle: 'circle', boxHeight: 7, pointStyleWidth: 10, padding: 18 } },
          tooltip: {
            callbacks: {
              title: (items) => month(items[0].label),
              label: (item) => ` ${item.dataset.label}: ${usdExact(BigInt(Math.round(item.parsed.y * 100)))}`,
            },
          },
          milestoneMarkers: { markers: [] },
        },
      },
    });
  }
  cumulativeChart.data.labels = months;
  cumulativeChart.data.datasets = datasets;
  cumulativeChart.options.plugins.milestoneMarkers.markers = markers;
  cumulativeChart.update();
}

function renderStateChart(states) {
  const shown = states.slice(0, 15);
  // Room for every bar: the box grows with the number of states.
  $('[data-testid="state-chart-box"]').style.setProperty('height', `${Math.max(240, 34 * shown.length + 70)}px`);
  const canvas = $('[data-testid="state-chart"]');
  if (!stateChart) {
    stateChart = new window.Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        ...baseOptions(),
        indexAxis: 'y',
        interaction: { mode: 'nearest', axis: 'y', intersect: false },
        scales: {
          x: { beginAtZero: true, grace: '5%', ticks: { callback: (value) => usdHeadline(BigInt(Math.round(value * 100))), maxTicksLimit: 5 }, grid: { color: '#e9edf3' } },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => ` ${usdExact(BigInt(Math.round(item.parsed.x * 100)))}` } },
        },
      },
    });
  }
  stateChart.data.labels = shown.map((s) => s.stateName);
  stateChart.data.datasets = [
    {
      label: 'USD',
      data: shown.map((s) => Number(s.usd) / 100),
      stateCodes: shown.map((s) => s.stateCode),
      backgroundColor: shown.map((_s, i) => (i === 0 ? '#e07b00' : '#f0a347')),
      borderRadius: 4,
      barThickness: 18,
    },
  ];
  stateChart.update();
}

// ---------------------------------------------------------------- page

function render(data) {
  const colours = new Map(data.programmes.map((p, i) => [p.programme, PALETTE[i % PALETTE.length]]));
  const names = new Map(data.programmes.map((p) => [p.programme, p.name]));
  const allRows = data.exports.filter((r) => r.programme === ALL_PROGRAMMES);
  const states = stateTotals(allRows);
  renderKpis(allRows);
  renderProgrammes(data.programmes, colours, data.training);
  renderStateTable(states);
  renderFunnel(data.funnel, names, colours);
  renderTraining(data.training, names);
  renderImpact(data.impact, names);
  renderQuarters(data.quarters);
  if (window.Chart) {
    renderCumulativeChart(data.programmes, data.exports, data.milestones, colours);
    renderStateChart(states);
  }
}

function showBanner(message) {
  const banner = $('[data-testid="error-banner"]');
  banner.textContent = message;
  banner.hidden = false;
}

function hideBanner() {
  $('[data-testid="error-banner"]').hidden = true;
}

function start() {
  const { intervalMs } = readFragment();
  $('[data-testid="interval"]').textContent = `${intervalMs / 1000} s`;
  if (window.Chart) {
    window.Chart.defaults.color = '#475569';
    window.Chart.defaults.font.family = FONT;
  } else {
    showBanner('Chart.js did not load: the charts are missing, the figures are not.');
  }

  const form = $('[data-testid="token-form"]');
  let timer;

  const askForToken = (message) => {
    clearTimeout(timer);
    sessionStorage.removeItem(TOKEN_KEY);
    document.body.dataset.state = 'token';
    $('[data-testid="updated"]').textContent = 'waiting for a token';
    if (message) showBanner(message);
    form.hidden = false;
    form.elements.token.focus();
  };

  const refresh = async () => {
    clearTimeout(timer);
    try {
      const data = await load();
      render(data);
      hideBanner();
      $('[data-testid="dashboard"]').hidden = false;
      document.body.dataset.state = 'ready';
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes) + 1);
      $('[data-testid="updated"]').textContent = `updated ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`;
    } catch (error) {
      if (error instanceof AccessRefused) return askForToken(error.message);
      // The last figures stay on screen; the banner says they are stale and why.
      document.body.dataset.state = 'error';
      showBanner(`Could not refresh: ${error.message}. Retrying every ${intervalMs / 1000} s.`);
    }
    timer = setTimeout(refresh, intervalMs);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = form.elements.token.value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    form.reset();
    form.hidden = true;
    hideBanner();
    void refresh();
  });

  if (storedToken()) void refresh();
  else askForToken();
}

start();
