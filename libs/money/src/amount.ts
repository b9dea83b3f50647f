import { minorUnitsOf } from './currencies';

/**
 * The exact sum of minor-unit amounts (of one currency: the caller keeps currencies apart). This is how
 * totals are made: from the recorded, already-rounded line values (see `toUsdAndInr`).
 */
export function sumMinor(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) {
    if (typeof amount !== 'bigint') throw new TypeError(`sumMinor adds bigints only, got a ${typeof amount}`);
    total += amount;
  }
  return total;
}

/**
 * For people: code, space, the amount with its currency's own number of decimals. INR is grouped the
 * Indian way (lakh, crore: `"INR 12,34,567.00"`), every other currency in thousands
 * (`"USD 1,234.56"`, `"JPY 1,234,567"` with no decimals at all, `"KWD 1,234.567"`). Negative amounts
 * read `"USD -1,234.56"`. Exact for any bigint; no locale is consulted, so the output is the same on
 * every machine.
 */
export function formatMinor(amountMinor: bigint, currency: string): string {
  if (typeof amountMinor !== 'bigint') throw new TypeError('amountMinor must be a bigint');
  const exponent = minorUnitsOf(currency);
  const digits = (amountMinor < 0n ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : '';
  const grouped = currency === 'INR' ? groupIndian(whole) : groupThousands(whole);
  return `${currency} ${amountMinor < 0n ? '-' : ''}${grouped}${fraction}`;
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+$)/g, ',');
}

/** The last three digits, then pairs: 1234567 → 12,34,567. */
function groupIndian(whole: string): string {
  if (whole.length <= 3) return whole;
  return `${groupPairs(whole.slice(0, -3))},${whole.slice(-3)}`;
}

function groupPairs(head: string): string {
  return head.replace(/\B(?=(\d{2})+$)/g, ',');
}
