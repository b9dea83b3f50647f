/** One broken rule: `code` is stable (clients and tests key on it), `message` is for people. */
export interface Violation {
  readonly code: string;
  readonly message: string;
}

/**
 * `27AAPFU0939F1ZV` → `***********F1ZV`. Messages end up in logs and API responses, so a GSTIN, PAN
 * or IEC never appears in one in full. A value of four characters or fewer is masked entirely rather
 * than shown whole.
 */
export function maskIdentifier(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

/** Thrown by parsers given something their validator refuses; carries the codes, never the value. */
export class InvalidIdentifierError extends Error {
  constructor(
    readonly kind: string,
    readonly violations: readonly Violation[],
  ) {
    super(`not a valid ${kind}: ${violations.map((v) => v.code).join(', ')}`);
    this.name = 'InvalidIdentifierError';
  }
}
