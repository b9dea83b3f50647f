const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * A calendar date written `YYYY-MM-DD` that exists (no 2025-02-29). Dates stay strings: as strings they
 * compare in calendar order, and no time zone can move them to the day before.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0-99 as 1900-1999
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function assertIsoDate(value: unknown, what: string): asserts value is string {
  if (!isIsoDate(value)) throw new RangeError(`${what} must be a date written YYYY-MM-DD, got ${JSON.stringify(String(value)).slice(0, 40)}`);
}
