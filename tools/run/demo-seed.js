'use strict';
// Demo sellers drawn from the seed articles: ODOP exporters in Uttar Pradesh (Flipkart/Walmart),
// Vriddhi trainees near the Panipat and Agra e-institutes, Amazon Global Selling exporters.
// Identifiers are fixed (so a second seeding is recognised) and valid: GSTIN check characters are
// computed by the platform's own rules, from the compiled libs/india that `npm start` has just built.
const path = require('node:path');
const { ROOT } = require('./deps');

const DEMO_SELLERS = [
  {
    legalName: 'Moradabad Brass Handicrafts Private Limited', constitution: 'private-limited', pan: 'AABCM4321K', stateCode: '09',
    district: 'Moradabad', pinCode: '244001', odopProduct: 'Brassware (Peetal)', product: ['74198030', 'Brass artware and handicrafts'],
    investment: 18_000_000, turnover: 120_000_000, exports: 45_000_000,
    programmes: ['flipkart-walmart-odop-up'], accounts: [['flipkart', 'FK-MBH-7781']],
  },
  {
    legalName: 'Agra Leather Footwear Works Private Limited', constitution: 'private-limited', pan: 'AACCA5678L', stateCode: '09',
    district: 'Agra', pinCode: '282001', odopProduct: 'Leather products', product: ['64039990', 'Leather footwear'],
    investment: 42_000_000, turnover: 310_000_000, exports: 90_000_000,
    programmes: ['flipkart-walmart-odop-up', 'walmart-vriddhi'], accounts: [['flipkart', 'FK-ALF-2231']],
  },
  {
    legalName: 'Bhadohi Carpet Weavers Private Limited', constitution: 'private-limited', pan: 'AADCB2468M', stateCode: '09',
    district: 'Bhadohi', pinCode: '221401', odopProduct: 'Carpets (Dari)', product: ['57011010', 'Hand-knotted woollen carpets'],
    investment: 9_000_000, turnover: 65_000_000, exports: 52_000_000,
    programmes: ['flipkart-walmart-odop-up', 'amazon-global-selling'], accounts: [['flipkart', 'FK-BCW-0907'], ['amazon', 'A2BCW0907IN']],
  },
  {
    legalName: 'Panipat Home Textiles Private Limited', constitution: 'private-limited', pan: 'AAECP1357N', stateCode: '06',
    district: 'Panipat', pinCode: '132103', product: ['63049190', 'Cotton bedspreads and cushion covers'],
    investment: 60_000_000, turnover: 480_000_000, exports: 150_000_000,
    programmes: ['walmart-vriddhi', 'amazon-global-selling'], accounts: [['amazon', 'A2PHT1357IN']],
  },
  {
    legalName: 'Jaipur Blue Pottery House Private Limited', constitution: 'private-limited', pan: 'AAFCJ9753P', stateCode: '08',
    district: 'Jaipur', pinCode: '302001', product: ['69139000', 'Blue pottery decorative ware'],
    investment: 3_500_000, turnover: 22_000_000, exports: 14_000_000,
    programmes: ['amazon-global-selling'], accounts: [['amazon', 'A2JBP9753IN']],
  },
  {
    legalName: 'Tiruppur Knitwear Exports Private Limited', constitution: 'private-limited', pan: 'AAGCT8642Q', stateCode: '33',
    district: 'Tiruppur', pinCode: '641601', product: ['61091000', 'Cotton knitted T-shirts'],
    investment: 150_000_000, turnover: 900_000_000, exports: 610_000_000,
    programmes: ['amazon-global-selling'], accounts: [['amazon', 'A2TKE8642IN']],
  },
];

class HttpError extends Error {
  constructor(method, url, status, text) {
    super(`${method} ${url} answered ${status}: ${text}`);
    this.status = status;
  }
}

async function call(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new HttpError(method, url, response.status, text);
  return text ? JSON.parse(text) : undefined;
}

/** The registration form of a demo seller, with identifiers derived from its PAN and state. */
function registrationOf(seller) {
  const india = require(path.join(ROOT, 'dist', 'libs', 'india', 'src'));
  const first14 = `${seller.stateCode}${seller.pan}1Z`;
  return {
    legalName: seller.legalName,
    constitution: seller.constitution,
    gstin: `${first14}${india.gstinCheckCharacter(first14)}`,
    pan: seller.pan,
    udyamNumber: `UDYAM-${india.udyamLettersOfGstState(seller.stateCode)}-01-${seller.pan.slice(5, 9)}001`,
    iec: seller.pan,
    stateCode: seller.stateCode,
    district: seller.district,
    address: { line1: `${seller.legalName.split(' ')[0]} Industrial Estate`, city: seller.district, pinCode: seller.pinCode },
    contact: { email: `exports@${seller.pan.toLowerCase()}.example.in`, mobile: `+9198${seller.pan.slice(5, 9)}5${seller.pinCode.slice(0, 3)}` },
    bankAccount: { ifsc: 'SBIN0001234', accountNumber: `3021${seller.pan.slice(5, 9)}0042` },
    products: [{ hsCode: seller.product[0], description: seller.product[1] }],
    ...(seller.odopProduct ? { odopProduct: seller.odopProduct } : {}),
    investmentInPlantAndMachinery: seller.investment,
    annualTurnover: seller.turnover,
    exportTurnover: seller.exports,
    programmes: seller.programmes,
  };
}

/**
 * The journey of one demo seller, each step by the role that takes it in real life: the seller
 * registers and enrols itself, a reviewer reviews, an operator links its marketplace accounts.
 */
async function onboard(onboardingUrl, seller, tokens) {
  const sellers = `${onboardingUrl}/v1/sellers`;
  const created = await call('POST', sellers, tokens.registrant, registrationOf(seller));
  await call('POST', `${sellers}/${created.id}/start-review`, tokens.reviewer, {});
  await call('POST', `${sellers}/${created.id}/approve`, tokens.reviewer, {});
  for (const programmeId of seller.programmes) await call('POST', `${sellers}/${created.id}/enrolments`, tokens.registrant, { programmeId });
  for (const [marketplace, accountId] of seller.accounts) {
    await call('POST', `${sellers}/${created.id}/marketplace-accounts`, tokens.operator, { marketplace, accountId });
  }
}

/** Onboards the demo sellers once; a later start finds them counted and skips. */
async function seedDemo(onboardingUrl, reportingUrl, tokens) {
  const report = await call('GET', `${reportingUrl}/v1/reports/sellers`, tokens.analyst);
  if (report.totalApprovedSellers > 0) return `already present (${report.totalApprovedSellers} approved sellers)`;
  for (const seller of DEMO_SELLERS) await onboard(onboardingUrl, seller, tokens);
  return `${DEMO_SELLERS.length} sellers registered, approved, enrolled and linked to their marketplace accounts`;
}

module.exports = { seedDemo, DEMO_SELLERS };
