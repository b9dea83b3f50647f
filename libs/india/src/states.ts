/**
 * States and union territories by GST state code (the first two characters of a GSTIN), the key the
 * platform uses for "state" everywhere. 97 and 99 are GST's "other territory" and "centre jurisdiction".
 */
export const INDIAN_STATES: Readonly<Record<string, string>> = Object.freeze({
  '01': 'Jammu and Kashmir',
  '02': 'Himachal Pradesh',
  '03': 'Punjab',
  '04': 'Chandigarh',
  '05': 'Uttarakhand',
  '06': 'Haryana',
  '07': 'Delhi',
  '08': 'Rajasthan',
  '09': 'Uttar Pradesh',
  '10': 'Bihar',
  '11': 'Sikkim',
  '12': 'Arunachal Pradesh',
  '13': 'Nagaland',
  '14': 'Manipur',
  '15': 'Mizoram',
  '16': 'Tripura',
  '17': 'Meghalaya',
  '18': 'Assam',
  '19': 'West Bengal',
  '20': 'Jharkhand',
  '21': 'Odisha',
  '22': 'Chhattisgarh',
  '23': 'Madhya Pradesh',
  '24': 'Gujarat',
  '25': 'Daman and Diu',
  '26': 'Dadra and Nagar Haveli and Daman and Diu',
  '27': 'Maharashtra',
  '28': 'Andhra Pradesh (before 2014)',
  '29': 'Karnataka',
  '30': 'Goa',
  '31': 'Lakshadweep',
  '32': 'Kerala',
  '33': 'Tamil Nadu',
  '34': 'Puducherry',
  '35': 'Andaman and Nicobar Islands',
  '36': 'Telangana',
  '37': 'Andhra Pradesh',
  '38': 'Ladakh',
  '97': 'Other Territory',
  '99': 'Centre Jurisdiction',
});

/** In code order (01, 02, … 99): object keys that look like integers would otherwise come first. */
export const GST_STATE_CODES: readonly string[] = Object.freeze(Object.keys(INDIAN_STATES).sort());

export function isGstStateCode(value: unknown): value is string {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(INDIAN_STATES, value);
}

/** For messages: `'27'` → `'27 (Maharashtra)'`; anything else as given. */
export function describeGstState(code: string): string {
  return isGstStateCode(code) ? `${code} (${INDIAN_STATES[code]})` : code;
}

/**
 * The two letters a Udyam registration number (`UDYAM-XX-00-0000000`) carries for the state, by GST
 * state code. They are not the GST portal's alpha codes nor ISO 3166-2: Udyam kept the state codes of
 * Udyog Aadhaar, which mostly follow vehicle registration marks, so Karnataka is KR (not KA),
 * Chhattisgarh CG (not CT), Uttarakhand UK (not UT), Telangana TS (not TG, even after the 2024
 * vehicle-mark change), Odisha OD (not OR). Checked against numbers on issued certificates.
 *
 * Left out on purpose: 25 (Daman and Diu merged into 26 on 26 January 2020, before Udyam opened on
 * 1 July 2020, so every Udyam number there is DD under 26), 28 (Andhra Pradesh before the 2014
 * split; Udyam numbers there are AP under 37), 97 and 99 (tax jurisdictions, not places an
 * enterprise is registered). LD (Lakshadweep) and LA (Ladakh) follow the same vehicle-mark pattern;
 * no issued number was found to confirm them.
 */
export const UDYAM_STATE_LETTERS: Readonly<Record<string, string>> = Object.freeze({
  '01': 'JK',
  '02': 'HP',
  '03': 'PB',
  '04': 'CH',
  '05': 'UK',
  '06': 'HR',
  '07': 'DL',
  '08': 'RJ',
  '09': 'UP',
  '10': 'BR',
  '11': 'SK',
  '12': 'AR',
  '13': 'NL',
  '14': 'MN',
  '15': 'MZ',
  '16': 'TR',
  '17': 'ML',
  '18': 'AS',
  '19': 'WB',
  '20': 'JH',
  '21': 'OD',
  '22': 'CG',
  '23': 'MP',
  '24': 'GJ',
  '26': 'DD',
  '27': 'MH',
  '29': 'KR',
  '30': 'GA',
  '31': 'LD',
  '32': 'KL',
  '33': 'TN',
  '34': 'PY',
  '35': 'AN',
  '36': 'TS',
  '37': 'AP',
  '38': 'LA',
});

const GST_CODE_BY_UDYAM_LETTERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(UDYAM_STATE_LETTERS).map(([code, letters]) => [letters, code])),
);

/** Every Udyam state pair, alphabetically. */
export const UDYAM_STATE_LETTER_CODES: readonly string[] = Object.freeze(Object.keys(GST_CODE_BY_UDYAM_LETTERS).sort());

/** `'09'` → `'UP'`; undefined for a code with no Udyam letters (25, 28, 97, 99) or no state at all. */
export function udyamLettersOfGstState(gstStateCode: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(UDYAM_STATE_LETTERS, gstStateCode) ? UDYAM_STATE_LETTERS[gstStateCode] : undefined;
}

/** `'UP'` → `'09'`; undefined for letters Udyam does not use. */
export function gstStateOfUdyamLetters(letters: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(GST_CODE_BY_UDYAM_LETTERS, letters) ? GST_CODE_BY_UDYAM_LETTERS[letters] : undefined;
}
