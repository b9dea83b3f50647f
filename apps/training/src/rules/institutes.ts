/**
 * Where cohorts are taught, and which states count as "near" a learner's state. States are GST
 * state codes, the platform's key for a state everywhere.
 */

export interface Institute {
  id: string;
  name: string;
  /** Absent for the online institute: its cohorts are near everyone and in no state. */
  stateCode?: string;
  district?: string;
  delivery: 'in-person' | 'online';
}

/**
 * The Vriddhi e-institutes of the seed articles: Panipat (October 2020, for the Panipat-Sonipat-Kundli
 * textile and manufacturing belt) and Agra (2020, for Uttar Pradesh and its ODOP clusters), plus the
 * online institute that has carried most Vriddhi training since the pandemic.
 */
export const SEED_INSTITUTES: readonly Institute[] = [
  { id: 'panipat', name: 'Walmart Vriddhi e-Institute, Panipat', stateCode: '06', district: 'Panipat', delivery: 'in-person' },
  { id: 'agra', name: 'Walmart Vriddhi e-Institute, Agra', stateCode: '09', district: 'Agra', delivery: 'in-person' },
  { id: 'online', name: 'Walmart Vriddhi online', delivery: 'online' },
];

/**
 * States and union territories that share a land border, by GST state code, as on today's map (Ladakh
 * a separate UT since 2019, Dadra and Nagar Haveli merged with Daman and Diu in 2020, Andhra Pradesh
 * and Telangana split in 2014). Each pair is listed on both sides. Enclaves count: Puducherry's Mahé
 * lies in Kerala, Yanam in Andhra Pradesh, Puducherry and Karaikal in Tamil Nadu.
 *
 * 25 is the retired Daman and Diu code: it borders Gujarat and is now part of 26, so it neighbours
 * both. Lakshadweep (31) and the Andaman and Nicobar Islands (35) border no one. 28 (Andhra Pradesh
 * before 2014), 97 and 99 (tax jurisdictions) are no place a cohort is taught, and are left out.
 */
export const NEIGHBOURING_STATES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '01': ['02', '03', '38'], // Jammu and Kashmir: Himachal, Punjab, Ladakh
  '02': ['01', '03', '05', '06', '38'], // Himachal Pradesh: J&K, Punjab, Uttarakhand, Haryana, Ladakh
  '03': ['01', '02', '04', '06', '08'], // Punjab: J&K, Himachal, Chandigarh, Haryana, Rajasthan
  '04': ['03', '06'], // Chandigarh: Punjab, Haryana
  '05': ['02', '06', '09'], // Uttarakhand: Himachal, Haryana (a short stretch by the Yamuna), UP
  '06': ['02', '03', '04', '05', '07', '08', '09'], // Haryana
  '07': ['06', '09'], // Delhi: Haryana, UP
  '08': ['03', '06', '09', '23', '24'], // Rajasthan: Punjab, Haryana, UP, MP, Gujarat
  '09': ['05', '06', '07', '08', '10', '20', '22', '23'], // Uttar Pradesh
  '10': ['09', '19', '20'], // Bihar: UP, West Bengal, Jharkhand
  '11': ['19'], // Sikkim: West Bengal
  '12': ['13', '18'], // Arunachal Pradesh: Nagaland, Assam
  '13': ['12', '14', '18'], // Nagaland: Arunachal, Manipur, Assam
  '14': ['13', '15', '18'], // Manipur: Nagaland, Mizoram, Assam
  '15': ['14', '16', '18'], // Mizoram: Manipur, Tripura, Assam
  '16': ['15', '18'], // Tripura: Mizoram, Assam
  '17': ['18'], // Meghalaya: Assam
  '18': ['12', '13', '14', '15', '16', '17', '19'], // Assam: the other six of the north-east, West Bengal
  '19': ['10', '11', '18', '20', '21'], // West Bengal: Bihar, Sikkim, Assam, Jharkhand, Odisha
  '20': ['09', '10', '19', '21', '22'], // Jharkhand: UP, Bihar, West Bengal, Odisha, Chhattisgarh
  '21': ['19', '20', '22', '37'], // Odisha: West Bengal, Jharkhand, Chhattisgarh, Andhra Pradesh
  '22': ['09', '20', '21', '23', '27', '36', '37'], // Chhattisgarh: UP, Jharkhand, Odisha, MP, Maharashtra, Telangana, AP
  '23': ['08', '09', '22', '24', '27'], // Madhya Pradesh: Rajasthan, UP, Chhattisgarh, Gujarat, Maharashtra
  '24': ['08', '23', '25', '26', '27'], // Gujarat: Rajasthan, MP, Daman and Diu, DNH and DD, Maharashtra
  '25': ['24', '26'], // Daman and Diu (retired code): Gujarat, and the merged UT it is now part of
  '26': ['24', '25', '27'], // Dadra and Nagar Haveli and Daman and Diu: Gujarat, Maharashtra
  '27': ['22', '23', '24', '26', '29', '30', '36'], // Maharashtra: Chhattisgarh, MP, Gujarat, DNH and DD, Karnataka, Goa, Telangana
  '29': ['27', '30', '32', '33', '36', '37'], // Karnataka: Maharashtra, Goa, Kerala, Tamil Nadu, Telangana, AP
  '30': ['27', '29'], // Goa: Maharashtra, Karnataka
  '31': [], // Lakshadweep
  '32': ['29', '33', '34'], // Kerala: Karnataka, Tamil Nadu, Puducherry (Mahé)
  '33': ['29', '32', '34', '37'], // Tamil Nadu: Karnataka, Kerala, Puducherry, AP
  '34': ['32', '33', '37'], // Puducherry: Kerala (Mahé), Tamil Nadu, AP (Yanam)
  '35': [], // Andaman and Nicobar Islands
  '36': ['22', '27', '29', '37'], // Telangana: Chhattisgarh, Maharashtra, Karnataka, AP
  '37': ['21', '22', '29', '33', '34', '36'], // Andhra Pradesh: Odisha, Chhattisgarh, Karnataka, Tamil Nadu, Puducherry (Yanam), Telangana
  '38': ['01', '02'], // Ladakh: J&K, Himachal
});

/** The states bordering `stateCode`; none for an island, a jurisdiction or an unknown code. */
export function neighboursOf(stateCode: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(NEIGHBOURING_STATES, stateCode) ? NEIGHBOURING_STATES[stateCode] : [];
}

export function areNeighbours(a: string, b: string): boolean {
  return neighboursOf(a).includes(b);
}
