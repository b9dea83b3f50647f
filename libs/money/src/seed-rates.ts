import { FxRate } from './fx';

/**
 * DEMO DATA, not published rates. Approximations of the RBI/FBIL reference rates (rupees per ONE unit)
 * around the turn of each period, for local runs and tests only: USD close to the FBIL USD/INR
 * reference or the market close of the last business day before the date, the others derived from
 * it with approximate market cross rates of that day (AED and SAR through their dollar pegs, 3.6725
 * and 3.75). JPY is per 1 yen here; RBI/FBIL publish it per 100 yen (0.5447 here is 54.47 there).
 * A deployment loads the real FBIL series instead.
 */
export const SEED_FX_RATES: readonly FxRate[] = Object.freeze([
  { currency: 'USD', effectiveFrom: '2024-01-01', inrPerUnit: '83.1164' },
  { currency: 'EUR', effectiveFrom: '2024-01-01', inrPerUnit: '91.7522' },
  { currency: 'GBP', effectiveFrom: '2024-01-01', inrPerUnit: '105.8072' },
  { currency: 'JPY', effectiveFrom: '2024-01-01', inrPerUnit: '0.5895' },
  { currency: 'AED', effectiveFrom: '2024-01-01', inrPerUnit: '22.6321' },
  { currency: 'SGD', effectiveFrom: '2024-01-01', inrPerUnit: '62.9813' },
  { currency: 'AUD', effectiveFrom: '2024-01-01', inrPerUnit: '56.6189' },
  { currency: 'CAD', effectiveFrom: '2024-01-01', inrPerUnit: '62.7625' },
  { currency: 'SAR', effectiveFrom: '2024-01-01', inrPerUnit: '22.1644' },
  { currency: 'CHF', effectiveFrom: '2024-01-01', inrPerUnit: '98.7835' },
  { currency: 'KWD', effectiveFrom: '2024-01-01', inrPerUnit: '270.6493' },
  { currency: 'USD', effectiveFrom: '2025-01-01', inrPerUnit: '85.6232' },
  { currency: 'EUR', effectiveFrom: '2025-01-01', inrPerUnit: '88.6543' },
  { currency: 'GBP', effectiveFrom: '2025-01-01', inrPerUnit: '107.1660' },
  { currency: 'JPY', effectiveFrom: '2025-01-01', inrPerUnit: '0.5447' },
  { currency: 'AED', effectiveFrom: '2025-01-01', inrPerUnit: '23.3147' },
  { currency: 'SGD', effectiveFrom: '2025-01-01', inrPerUnit: '62.7460' },
  { currency: 'AUD', effectiveFrom: '2025-01-01', inrPerUnit: '52.9836' },
  { currency: 'CAD', effectiveFrom: '2025-01-01', inrPerUnit: '59.5350' },
  { currency: 'SAR', effectiveFrom: '2025-01-01', inrPerUnit: '22.8329' },
  { currency: 'CHF', effectiveFrom: '2025-01-01', inrPerUnit: '94.3610' },
  { currency: 'KWD', effectiveFrom: '2025-01-01', inrPerUnit: '277.8170' },
  { currency: 'USD', effectiveFrom: '2025-07-01', inrPerUnit: '85.7575' },
  { currency: 'EUR', effectiveFrom: '2025-07-01', inrPerUnit: '101.0824' },
  { currency: 'GBP', effectiveFrom: '2025-07-01', inrPerUnit: '117.7536' },
  { currency: 'JPY', effectiveFrom: '2025-07-01', inrPerUnit: '0.5954' },
  { currency: 'AED', effectiveFrom: '2025-07-01', inrPerUnit: '23.3513' },
  { currency: 'SGD', effectiveFrom: '2025-07-01', inrPerUnit: '67.3929' },
  { currency: 'AUD', effectiveFrom: '2025-07-01', inrPerUnit: '56.4799' },
  { currency: 'CAD', effectiveFrom: '2025-07-01', inrPerUnit: '62.9413' },
  { currency: 'SAR', effectiveFrom: '2025-07-01', inrPerUnit: '22.8687' },
  { currency: 'CHF', effectiveFrom: '2025-07-01', inrPerUnit: '108.0750' },
  { currency: 'KWD', effectiveFrom: '2025-07-01', inrPerUnit: '280.8039' },
  { currency: 'USD', effectiveFrom: '2026-01-01', inrPerUnit: '89.8750' },
  { currency: 'EUR', effectiveFrom: '2026-01-01', inrPerUnit: '105.5582' },
  { currency: 'GBP', effectiveFrom: '2026-01-01', inrPerUnit: '121.0167' },
  { currency: 'JPY', effectiveFrom: '2026-01-01', inrPerUnit: '0.5735' },
  { currency: 'AED', effectiveFrom: '2026-01-01', inrPerUnit: '24.4724' },
  { currency: 'SGD', effectiveFrom: '2026-01-01', inrPerUnit: '69.9144' },
  { currency: 'AUD', effectiveFrom: '2026-01-01', inrPerUnit: '59.9916' },
  { currency: 'CAD', effectiveFrom: '2026-01-01', inrPerUnit: '65.5066' },
  { currency: 'SAR', effectiveFrom: '2026-01-01', inrPerUnit: '23.9667' },
  { currency: 'CHF', effectiveFrom: '2026-01-01', inrPerUnit: '113.4069' },
  { currency: 'KWD', effectiveFrom: '2026-01-01', inrPerUnit: '292.7524' },
]);
