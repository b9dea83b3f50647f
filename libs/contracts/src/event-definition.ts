import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { vouchedPayload } from './compiled-payload';
import { malformedTextIn } from './reference/text';
import { PARTNER_ORDERS_CHANNEL, TopicName } from './topics';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

export type PayloadClass<P extends object> = new () => P;

/** One versioned event: its CloudEvents type, the topic it travels on, its payload class and key. */
export interface EventDefinition<P extends object = object> {
  readonly type: string;
  /** Partner order events travel on their partner's own topic: `PARTNER_ORDERS_CHANNEL`. */
  readonly topic: TopicName | typeof PARTNER_ORDERS_CHANNEL;
  readonly payload: PayloadClass<P>;
  /** The record key: the aggregate id, so every event of one aggregate stays in order on one partition. */
  // Method syntax on purpose: a definition of a specific payload is usable where any definition is.
  keyOf(payload: P): string;
  subjectOf?(payload: P): string;
}

export function defineEvent<P extends object>(definition: EventDefinition<P>): EventDefinition<P> {
  return Object.freeze(definition);
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export type PayloadResult<P> = { ok: true; payload: P } | { ok: false; errors: FieldError[] };

/** Flattens class-validator's nested errors to `a.b[0].c` field paths with the failed rule as code. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({ field, code, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Turns untrusted JSON into a validated payload instance, or the field errors that stop it. */
export function parsePayload<P extends object>(payloadClass: PayloadClass<P>, json: unknown): PayloadResult<P> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, errors: [{ field: '', code: 'isObject', message: 'payload must be a JSON object' }] };
  }
  // No payload carries a NUL or half a surrogate pair: Postgres refuses them, so an event holding one could never be applied.
  const malformed = malformedTextIn(json);
  if (malformed) return { ok: false, errors: [{ field: malformed.field, code: malformed.code, message: `${malformed.field || 'payload'} ${malformed.message}` }] };
  // Most payloads are valid: a compiled check vouches for those at a fraction of the cost. Anything it
  // does not vouch for goes through class-transformer and class-validator, which alone word the errors.
  const vouched = vouchedPayload(payloadClass, json);
  if (vouched) return { ok: true, payload: vouched };
  const instance = plainToInstance(payloadClass, json);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length === 0 ? { ok: true, payload: instance } : { ok: false, errors: flattenValidationErrors(errors) };
}
