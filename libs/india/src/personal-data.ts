/**
 * What in a piece of free text looks like personal data Niryat keeps out of events and logs: a PAN
 * or GSTIN, an e-mail address, an Indian mobile number, or a long run of digits (a bank account,
 * Aadhaar, a card). Free-text reasons are operator text: they say why, never whose.
 */
const PATTERNS: readonly [kind: string, pattern: RegExp][] = [
  ['GSTIN', /\b\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]\b/i],
  ['PAN', /\b[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]\b/i],
  ['e-mail address', /[^\s@]+@[^\s@]+\.[^\s@]+/],
  ['mobile number', /(?:\+91[\s-]?)?\b[6-9]\d{4}[\s-]?\d{5}\b/],
  ['account or card number', /\d(?:[\s-]?\d){8,}/],
];

/** Ids Niryat itself puts in reasons (`moved to cohort <uuid>`): not personal, and full of digits. */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** The kinds of personal data the text seems to hold, in the order above; empty when none. */
export function personalDataIn(text: string): string[] {
  const checked = text.replace(UUID, ' ');
  return PATTERNS.filter(([, pattern]) => pattern.test(checked)).map(([kind]) => kind);
}
