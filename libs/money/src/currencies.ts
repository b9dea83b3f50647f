/**
 * ISO 4217 list one (currencies and funds), as published on 2026-01-01 (amendment 180), keeping only
 * entries with a minor unit. Left out on purpose:
 * - codes whose minor unit is "N.A." (XAU, XAG, XPD, XPT, XBA-XBD, XDR, XSU, XUA, XTS, XXX): an
 *   amount in them cannot be held as an integer count of minor units, so this library cannot carry it;
 * - withdrawn codes (list three), e.g. BGN (Bulgaria adopted the euro on 2026-01-01), ANG (replaced by
 *   XCG on 2025-03-31), SLL, ZWL, CUC, HRK. A record dated before a withdrawal and kept in the old
 *   currency needs the code added back deliberately, with its exponent.
 *
 * `minorUnits` is the exponent: an amount of `n` minor units is `n / 10^minorUnits` of the currency
 * (USD 2: cents; JPY 0: whole yen; KWD 3: fils; CLF and UYW 4). MGA and MRU divide into five, but ISO
 * records 2 for both and so does this table. Names are ISO's English currency names.
 *
 * Add a code when ISO adds one; never change an exponent in place: stored minor-unit amounts would
 * silently change value.
 */
const ISO_4217 = {
  AED: { numeric: '784', minorUnits: 2, name: 'UAE Dirham' },
  AFN: { numeric: '971', minorUnits: 2, name: 'Afghani' },
  ALL: { numeric: '008', minorUnits: 2, name: 'Lek' },
  AMD: { numeric: '051', minorUnits: 2, name: 'Armenian Dram' },
  AOA: { numeric: '973', minorUnits: 2, name: 'Kwanza' },
  ARS: { numeric: '032', minorUnits: 2, name: 'Argentine Peso' },
  AUD: { numeric: '036', minorUnits: 2, name: 'Australian Dollar' },
  AWG: { numeric: '533', minorUnits: 2, name: 'Aruban Florin' },
  AZN: { numeric: '944', minorUnits: 2, name: 'Azerbaijan Manat' },
  BAM: { numeric: '977', minorUnits: 2, name: 'Convertible Mark' },
  BBD: { numeric: '052', minorUnits: 2, name: 'Barbados Dollar' },
  BDT: { numeric: '050', minorUnits: 2, name: 'Taka' },
  BHD: { numeric: '048', minorUnits: 3, name: 'Bahraini Dinar' },
  BIF: { numeric: '108', minorUnits: 0, name: 'Burundi Franc' },
  BMD: { numeric: '060', minorUnits: 2, name: 'Bermudian Dollar' },
  BND: { numeric: '096', minorUnits: 2, name: 'Brunei Dollar' },
  BOB: { numeric: '068', minorUnits: 2, name: 'Boliviano' },
  BOV: { numeric: '984', minorUnits: 2, name: 'Mvdol' },
  BRL: { numeric: '986', minorUnits: 2, name: 'Brazilian Real' },
  BSD: { numeric: '044', minorUnits: 2, name: 'Bahamian Dollar' },
  BTN: { numeric: '064', minorUnits: 2, name: 'Ngultrum' },
  BWP: { numeric: '072', minorUnits: 2, name: 'Pula' },
  BYN: { numeric: '933', minorUnits: 2, name: 'Belarusian Ruble' },
  BZD: { numeric: '084', minorUnits: 2, name: 'Belize Dollar' },
  CAD: { numeric: '124', minorUnits: 2, name: 'Canadian Dollar' },
  CDF: { numeric: '976', minorUnits: 2, name: 'Congolese Franc' },
  CHE: { numeric: '947', minorUnits: 2, name: 'WIR Euro' },
  CHF: { numeric: '756', minorUnits: 2, name: 'Swiss Franc' },
  CHW: { numeric: '948', minorUnits: 2, name: 'WIR Franc' },
  CLF: { numeric: '990', minorUnits: 4, name: 'Unidad de Fomento' },
  CLP: { numeric: '152', minorUnits: 0, name: 'Chilean Peso' },
  CNY: { numeric: '156', minorUnits: 2, name: 'Yuan Renminbi' },
  COP: { numeric: '170', minorUnits: 2, name: 'Colombian Peso' },
  COU: { numeric: '970', minorUnits: 2, name: 'Unidad de Valor Real' },
  CRC: { numeric: '188', minorUnits: 2, name: 'Costa Rican Colon' },
  CUP: { numeric: '192', minorUnits: 2, name: 'Cuban Peso' },
  CVE: { numeric: '132', minorUnits: 2, name: 'Cabo Verde Escudo' },
  CZK: { numeric: '203', minorUnits: 2, name: 'Czech Koruna' },
  DJF: { numeric: '262', minorUnits: 0, name: 'Djibouti Franc' },
  DKK: { numeric: '208', minorUnits: 2, name: 'Danish Krone' },
  DOP: { numeric: '214', minorUnits: 2, name: 'Dominican Peso' },
  DZD: { numeric: '012', minorUnits: 2, name: 'Algerian Dinar' },
  EGP: { numeric: '818', minorUnits: 2, name: 'Egyptian Pound' },
  ERN: { numeric: '232', minorUnits: 2, name: 'Nakfa' },
  ETB: { numeric: '230', minorUnits: 2, name: 'Ethiopian Birr' },
  EUR: { numeric: '978', minorUnits: 2, name: 'Euro' },
  FJD: { numeric: '242', minorUnits: 2, name: 'Fiji Dollar' },
  FKP: { numeric: '238', minorUnits: 2, name: 'Falkland Islands Pound' },
  GBP: { numeric: '826', minorUnits: 2, name: 'Pound Sterling' },
  GEL: { numeric: '981', minorUnits: 2, name: 'Lari' },
  GHS: { numeric: '936', minorUnits: 2, name: 'Ghana Cedi' },
  GIP: { numeric: '292', minorUnits: 2, name: 'Gibraltar Pound' },
  GMD: { numeric: '270', minorUnits: 2, name: 'Dalasi' },
  GNF: { numeric: '324', minorUnits: 0, name: 'Guinean Franc' },
  GTQ: { numeric: '320', minorUnits: 2, name: 'Quetzal' },
  GYD: { numeric: '328', minorUnits: 2, name: 'Guyana Dollar' },
  HKD: { numeric: '344', minorUnits: 2, name: 'Hong Kong Dollar' },
  HNL: { numeric: '340', minorUnits: 2, name: 'Lempira' },
  HTG: { numeric: '332', minorUnits: 2, name: 'Gourde' },
  HUF: { numeric: '348', minorUnits: 2, name: 'Forint' },
  IDR: { numeric: '360', minorUnits: 2, name: 'Rupiah' },
  ILS: { numeric: '376', minorUnits: 2, name: 'New Israeli Sheqel' },
  INR: { numeric: '356', minorUnits: 2, name: 'Indian Rupee' },
  IQD: { numeric: '368', minorUnits: 3, name: 'Iraqi Dinar' },
  IRR: { numeric: '364', minorUnits: 2, name: 'Iranian Rial' },
  ISK: { numeric: '352', minorUnits: 0, name: 'Iceland Krona' },
  JMD: { numeric: '388', minorUnits: 2, name: 'Jamaican Dollar' },
  JOD: { numeric: '400', minorUnits: 3, name: 'Jordanian Dinar' },
  JPY: { numeric: '392', minorUnits: 0, name: 'Yen' },
  KES: { numeric: '404', minorUnits: 2, name: 'Kenyan Shilling' },
  KGS: { numeric: '417', minorUnits: 2, name: 'Som' },
  KHR: { numeric: '116', minorUnits: 2, name: 'Riel' },
  KMF: { numeric: '174', minorUnits: 0, name: 'Comorian Franc' },
  KPW: { numeric: '408', minorUnits: 2, name: 'North Korean Won' },
  KRW: { numeric: '410', minorUnits: 0, name: 'Won' },
  KWD: { numeric: '414', minorUnits: 3, name: 'Kuwaiti Dinar' },
  KYD: { numeric: '136', minorUnits: 2, name: 'Cayman Islands Dollar' },
  KZT: { numeric: '398', minorUnits: 2, name: 'Tenge' },
  LAK: { numeric: '418', minorUnits: 2, name: 'Lao Kip' },
  LBP: { numeric: '422', minorUnits: 2, name: 'Lebanese Pound' },
  LKR: { numeric: '144', minorUnits: 2, name: 'Sri Lanka Rupee' },
  LRD: { numeric: '430', minorUnits: 2, name: 'Liberian Dollar' },
  LSL: { numeric: '426', minorUnits: 2, name: 'Loti' },
  LYD: { numeric: '434', minorUnits: 3, name: 'Libyan Dinar' },
  MAD: { numeric: '504', minorUnits: 2, name: 'Moroccan Dirham' },
  MDL: { numeric: '498', minorUnits: 2, name: 'Moldovan Leu' },
  MGA: { numeric: '969', minorUnits: 2, name: 'Malagasy Ariary' },
  MKD: { numeric: '807', minorUnits: 2, name: 'Denar' },
  MMK: { numeric: '104', minorUnits: 2, name: 'Kyat' },
  MNT: { numeric: '496', minorUnits: 2, name: 'Tugrik' },
  MOP: { numeric: '446', minorUnits: 2, name: 'Pataca' },
  MRU: { numeric: '929', minorUnits: 2, name: 'Ouguiya' },
  MUR: { numeric: '480', minorUnits: 2, name: 'Mauritius Rupee' },
  MVR: { numeric: '462', minorUnits: 2, name: 'Rufiyaa' },
  MWK: { numeric: '454', minorUnits: 2, name: 'Malawi Kwacha' },
  MXN: { numeric: '484', minorUnits: 2, name: 'Mexican Peso' },
  MXV: { numeric: '979', minorUnits: 2, name: 'Mexican Unidad de Inversion (UDI)' },
  MYR: { numeric: '458', minorUnits: 2, name: 'Malaysian Ringgit' },
  MZN: { numeric: '943', minorUnits: 2, name: 'Mozambique Metical' },
  NAD: { numeric: '516', minorUnits: 2, name: 'Namibia Dollar' },
  NGN: { numeric: '566', minorUnits: 2, name: 'Naira' },
  NIO: { numeric: '558', minorUnits: 2, name: 'Cordoba Oro' },
  NOK: { numeric: '578', minorUnits: 2, name: 'Norwegian Krone' },
  NPR: { numeric: '524', minorUnits: 2, name: 'Nepalese Rupee' },
  NZD: { numeric: '554', minorUnits: 2, name: 'New Zealand Dollar' },
  OMR: { numeric: '512', minorUnits: 3, name: 'Rial Omani' },
  PAB: { numeric: '590', minorUnits: 2, name: 'Balboa' },
  PEN: { numeric: '604', minorUnits: 2, name: 'Sol' },
  PGK: { numeric: '598', minorUnits: 2, name: 'Kina' },
  PHP: { numeric: '608', minorUnits: 2, name: 'Philippine Peso' },
  PKR: { numeric: '586', minorUnits: 2, name: 'Pakistan Rupee' },
  PLN: { numeric: '985', minorUnits: 2, name: 'Zloty' },
  PYG: { numeric: '600', minorUnits: 0, name: 'Guarani' },
  QAR: { numeric: '634', minorUnits: 2, name: 'Qatari Rial' },
  RON: { numeric: '946', minorUnits: 2, name: 'Romanian Leu' },
  RSD: { numeric: '941', minorUnits: 2, name: 'Serbian Dinar' },
  RUB: { numeric: '643', minorUnits: 2, name: 'Russian Ruble' },
  RWF: { numeric: '646', minorUnits: 0, name: 'Rwanda Franc' },
  SAR: { numeric: '682', minorUnits: 2, name: 'Saudi Riyal' },
  SBD: { numeric: '090', minorUnits: 2, name: 'Solomon Islands Dollar' },
  SCR: { numeric: '690', minorUnits: 2, name: 'Seychelles Rupee' },
  SDG: { numeric: '938', minorUnits: 2, name: 'Sudanese Pound' },
  SEK: { numeric: '752', minorUnits: 2, name: 'Swedish Krona' },
  SGD: { numeric: '702', minorUnits: 2, name: 'Singapore Dollar' },
  SHP: { numeric: '654', minorUnits: 2, name: 'Saint Helena Pound' },
  SLE: { numeric: '925', minorUnits: 2, name: 'Leone' },
  SOS: { numeric: '706', minorUnits: 2, name: 'Somali Shilling' },
  SRD: { numeric: '968', minorUnits: 2, name: 'Surinam Dollar' },
  SSP: { numeric: '728', minorUnits: 2, name: 'South Sudanese Pound' },
  STN: { numeric: '930', minorUnits: 2, name: 'Dobra' },
  SVC: { numeric: '222', minorUnits: 2, name: 'El Salvador Colon' },
  SYP: { numeric: '760', minorUnits: 2, name: 'Syrian Pound' },
  SZL: { numeric: '748', minorUnits: 2, name: 'Lilangeni' },
  THB: { numeric: '764', minorUnits: 2, name: 'Baht' },
  TJS: { numeric: '972', minorUnits: 2, name: 'Somoni' },
  TMT: { numeric: '934', minorUnits: 2, name: 'Turkmenistan New Manat' },
  TND: { numeric: '788', minorUnits: 3, name: 'Tunisian Dinar' },
  TOP: { numeric: '776', minorUnits: 2, name: 'Pa’anga' },
  TRY: { numeric: '949', minorUnits: 2, name: 'Turkish Lira' },
  TTD: { numeric: '780', minorUnits: 2, name: 'Trinidad and Tobago Dollar' },
  TWD: { numeric: '901', minorUnits: 2, name: 'New Taiwan Dollar' },
  TZS: { numeric: '834', minorUnits: 2, name: 'Tanzanian Shilling' },
  UAH: { numeric: '980', minorUnits: 2, name: 'Hryvnia' },
  UGX: { numeric: '800', minorUnits: 0, name: 'Uganda Shilling' },
  USD: { numeric: '840', minorUnits: 2, name: 'US Dollar' },
  USN: { numeric: '997', minorUnits: 2, name: 'US Dollar (Next day)' },
  UYI: { numeric: '940', minorUnits: 0, name: 'Uruguay Peso en Unidades Indexadas (UI)' },
  UYU: { numeric: '858', minorUnits: 2, name: 'Peso Uruguayo' },
  UYW: { numeric: '927', minorUnits: 4, name: 'Unidad Previsional' },
  UZS: { numeric: '860', minorUnits: 2, name: 'Uzbekistan Sum' },
  VED: { numeric: '926', minorUnits: 2, name: 'Bolívar Soberano' },
  VES: { numeric: '928', minorUnits: 2, name: 'Bolívar Soberano' },
  VND: { numeric: '704', minorUnits: 0, name: 'Dong' },
  VUV: { numeric: '548', minorUnits: 0, name: 'Vatu' },
  WST: { numeric: '882', minorUnits: 2, name: 'Tala' },
  XAD: { numeric: '396', minorUnits: 2, name: 'Arab Accounting Dinar' },
  XAF: { numeric: '950', minorUnits: 0, name: 'CFA Franc BEAC' },
  XCD: { numeric: '951', minorUnits: 2, name: 'East Caribbean Dollar' },
  XCG: { numeric: '532', minorUnits: 2, name: 'Caribbean Guilder' },
  XOF: { numeric: '952', minorUnits: 0, name: 'CFA Franc BCEAO' },
  XPF: { numeric: '953', minorUnits: 0, name: 'CFP Franc' },
  YER: { numeric: '886', minorUnits: 2, name: 'Yemeni Rial' },
  ZAR: { numeric: '710', minorUnits: 2, name: 'Rand' },
  ZMW: { numeric: '967', minorUnits: 2, name: 'Zambian Kwacha' },
  ZWG: { numeric: '924', minorUnits: 2, name: 'Zimbabwe Gold' },
} as const;

export type CurrencyCode = keyof typeof ISO_4217;

export interface CurrencyInfo {
  readonly code: CurrencyCode;
  /** ISO 4217 numeric code, three digits as text ('008', not 8). */
  readonly numeric: string;
  /** Decimal exponent of the minor unit. */
  readonly minorUnits: number;
  readonly name: string;
}

export const CURRENCIES: Readonly<Record<CurrencyCode, CurrencyInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(ISO_4217).map(([code, info]) => [code, Object.freeze({ code: code as CurrencyCode, ...info })]),
  ) as Record<CurrencyCode, CurrencyInfo>,
);

/** In alphabetical order. */
export const CURRENCY_CODES: readonly CurrencyCode[] = Object.freeze((Object.keys(ISO_4217) as CurrencyCode[]).sort());

/** Exactly an active code, upper case: `'usd'` and `' USD'` are not codes (normalise first if you accept them). */
export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ISO_4217, value);
}

/** Thrown where a currency code is required and something else was given (the value is in the message: codes are not personal data). */
export class UnknownCurrencyError extends Error {
  readonly code = 'MONEY.UNKNOWN_CURRENCY';

  constructor(readonly currency: unknown) {
    super(`not an active ISO 4217 currency code with a minor unit: ${JSON.stringify(String(currency)).slice(0, 40)}`);
    this.name = 'UnknownCurrencyError';
  }
}

export function currencyInfo(code: string): CurrencyInfo {
  if (!isCurrencyCode(code)) throw new UnknownCurrencyError(code);
  return CURRENCIES[code];
}

/** `'USD'` → 2, `'JPY'` → 0, `'KWD'` → 3. Throws `UnknownCurrencyError` for anything else. */
export function minorUnitsOf(code: string): number {
  return currencyInfo(code).minorUnits;
}
