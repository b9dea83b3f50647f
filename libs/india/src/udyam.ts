import { gstStateOfUdyamLetters } from './states';
import { Violation } from './violation';

export const UdyamRule = {
  format: 'udyamFormat',
  stateCode: 'udyamStateCode',
} as const;

/** `UDYAM-` + state letters + 2-digit district + 7-digit serial, upper case, hyphens included. */
const UDYAM_SHAPE = /^UDYAM-([A-Z]{2})-[0-9]{2}-[0-9]{7}$/;

/** The state is only checked once the shape holds: in a malformed number there are no letters to check. */
export function validateUdyamNumber(value: unknown): Violation[] {
  const match = typeof value === 'string' ? UDYAM_SHAPE.exec(value) : null;
  if (match === null) {
    return [
      {
        code: UdyamRule.format,
        message: 'Udyam registration number must look like UDYAM-XX-00-0000000 (state letters, 2-digit district, 7-digit serial)',
      },
    ];
  }
  if (gstStateOfUdyamLetters(match[1]) === undefined) {
    return [{ code: UdyamRule.stateCode, message: `Udyam state letters ${match[1]} are not a state or union territory Udyam uses` }];
  }
  return [];
}

export function isUdyamNumber(value: unknown): value is string {
  return validateUdyamNumber(value).length === 0;
}

/** `'UDYAM-MH-19-0001234'` → `'27'` (GST state code); undefined unless the number is valid. */
export function udyamStateOf(udyam: string): string | undefined {
  return isUdyamNumber(udyam) ? gstStateOfUdyamLetters(udyam.slice(6, 8)) : undefined;
}

