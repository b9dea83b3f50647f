'use strict';
// Demo sellers drawn from the seed articles: ODOP exporters in Uttar Pradesh (Flipkart/Walmart),
// Vriddhi trainees near the Panipat and Agra e-institutes, Amazon Global Selling exporters.
const DEMO_SELLERS = [
  { legalName: 'Moradabad Brass Handicrafts', stateCode: '09', programmes: ['flipkart-walmart-odop-up'] },
  { legalName: 'Agra Leather Footwear Works', stateCode: '09', programmes: ['flipkart-walmart-odop-up', 'walmart-vriddhi'] },
  { legalName: 'Bhadohi Carpet Weavers', stateCode: '09', programmes: ['flipkart-walmart-odop-up', 'amazon-global-selling'] },
  { legalName: 'Panipat Home Textiles', stateCode: '06', programmes: ['walmart-vriddhi', 'amazon-global-selling'] },
  { legalName: 'Jaipur Blue Pottery House', stateCode: '08', programmes: ['amazon-global-selling'] },
  { legalName: 'Tiruppur Knitwear Exports', stateCode: '33', programmes: ['amazon-global-selling'] },
];

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Registers and approves the demo sellers once; a later start finds them counted and skips. */
async function seedDemo(onboardingUrl, reportingUrl) {
  const report = await call('GET', `${reportingUrl}/v1/reports/sellers`);
  if (report.totalApprovedSellers > 0) return `already present (${report.totalApprovedSellers} approved sellers)`;
  for (const seller of DEMO_SELLERS) {
    const created = await call('POST', `${onboardingUrl}/v1/sellers`, seller);
    await call('POST', `${onboardingUrl}/v1/sellers/${created.id}/approve`, { reviewedBy: 'demo-reviewer' });
  }
  return `${DEMO_SELLERS.length} sellers registered and approved`;
}

module.exports = { seedDemo, DEMO_SELLERS };
