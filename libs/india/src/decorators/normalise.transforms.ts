import { Transform } from 'class-transformer';
import { normaliseIndianMobile } from '../indian-mobile';
import { normaliseIdentifier } from '../normalise';

/**
 * Trims and upper-cases a string field during `plainToInstance`, before validation. Other types pass
 * through untouched so the field's validator refuses them instead of a coercion hiding the mistake.
 */
export function NormaliseIdentifier(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => normaliseIdentifier(value));
}

/** `' +91 98765-43210 '` → `'+919876543210'`; other types pass through for the validator to refuse. */
export function NormaliseIndianMobile(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => normaliseIndianMobile(value));
}
