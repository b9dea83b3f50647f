import { validatePan } from './pan';
import { Violation } from './violation';

export const IecRule = {
  format: 'iecFormat',
} as const;

/**
 * Since GST (July 2017) DGFT issues the holder's PAN as the Importer-Exporter Code and migrated older
 * IECs to it, so an IEC is exactly a well-formed PAN. The old 10-digit numeric IECs and DGFT's special
 * numbers for bodies without a PAN are not accepted: neither belongs to an MSME seller.
 */
export function validateIec(value: unknown): Violation[] {
  const panProblems = validatePan(value);
  if (panProblems.length === 0) return [];
  return [
    {
      code: IecRule.format,
      message: `IEC must be the holder's PAN (since 2017 the IEC is the PAN): ${panProblems.map((p) => p.message).join('; ')}`,
    },
  ];
}

export function isIec(value: unknown): value is string {
  return validateIec(value).length === 0;
}
