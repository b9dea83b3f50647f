/**
 * What in a piece of free text looks like personal data Niryat keeps out of events and logs: a PAN
 * or GSTIN, an e-mail address, an Indian mobile number, or a long run of digits (a bank account,
 * Aadhaar, a card). Free-text reasons are operator text: they say why, never whose.
 */
const PATTERNS: readonly [kind: string, pattern: RegExp][] = [
  ['GSTIN', /\b\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]\b/gi],
  ['PAN', /\b[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]\b/gi],
  ['e-mail address', /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g],
  ['mobile number', /(?:\+91[\s-]?)?\b[6-9]\d{4}[\s-]?\d{5}\b/g],
  ['account or card number', /\d(?:[\s-]?\d){8,}/g],
];

/** Ids Niryat itself puts in reasons and logs (`moved to cohort <uuid>`): not personal, and full of digits. */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** Marks a set-aside UUID; a private-use character, never in real text, nor matched by the patterns. */
const UUID_MARK = '\uE000';
const UUID_MARKED = new RegExp(`${UUID_MARK}(\\d+)${UUID_MARK}`, 'g');

/** The kinds of personal data the text seems to hold, in the order above; empty when none. */
export function personalDataIn(text: string): string[] {
  const checked = text.replace(UUID, ' ');
  return PATTERNS.filter(([, pattern]) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(checked)).map(([kind]) => kind);
}

/**
 * The text with everything that looks like personal data masked but its last four characters
 * (`••••••744R`), UUIDs left as they are: for log lines, where a value must never be read whole.
 */
export function maskPersonalData(text: string): string {
  // UUIDs are set aside while the patterns run (their digit runs look like account numbers).
  const uuids: string[] = [];
  let masked = text.replace(UUID, (uuid) => `${UUID_MARK}${uuids.push(uuid) - 1}${UUID_MARK}`);
  for (const [, pattern] of PATTERNS) masked = masked.replace(pattern, (found) => `${'•'.repeat(Math.max(0, found.length - 4))}${found.slice(-4)}`);
  return masked.replace(UUID_MARKED, (_, i: string) => uuids[Number(i)]);
}
