/**
 * Trim and upper-case, applied before any identifier validator (GSTIN, PAN, Udyam, IEC, IFSC).
 *
 * Only a–z are upper-cased: `String.prototype.toUpperCase` also maps look-alikes into ASCII (dotless
 * `ı` → `I`, long `ſ` → `S`, the ligature `ﬀ` → `FF`), which would let a pasted homoglyph pass as a
 * valid identifier. Anything that is not a string is returned as is, for the validator to refuse.
 */
export function normaliseIdentifier(value: string): string;
export function normaliseIdentifier(value: unknown): unknown;
export function normaliseIdentifier(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().replace(/[a-z]+/g, (letters) => letters.toUpperCase()) : value;
}
