import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { Violation } from '../violation';

/** Finds the violation of one rule, if any, for a value and the object it belongs to. */
export type RuleCheck = (value: unknown, args: ValidationArguments) => Violation | undefined;

/**
 * One class-validator constraint per rule, named by the rule's code, so `ValidationError.constraints`
 * (and `flattenValidationErrors`) report `{ gstinPan: '…' }` rather than one opaque `isGstin`.
 * The message is recomputed from the value: class-validator asks for it separately from `validate`.
 */
export function RuleConstraint(code: string, check: RuleCheck, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: code,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => check(value, argsOf(value, args)) === undefined,
        defaultMessage: (args?: ValidationArguments) => messageFor(code, check, args),
      },
    },
    validationOptions,
  );
}

/** Several rule constraints on one property, in the order given. */
export function RuleConstraints(checks: ReadonlyArray<readonly [string, RuleCheck]>, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) => {
    for (const [code, check] of checks) RuleConstraint(code, check, validationOptions)(target, propertyKey);
  };
}

/** The check of one rule of a validator returning every violation of a value. */
export function ruleOf(validate: (value: unknown) => Violation[], code: string): RuleCheck {
  return (value) => validate(value).find((violation) => violation.code === code);
}

function argsOf(value: unknown, args: ValidationArguments | undefined): ValidationArguments {
  return args ?? { value, constraints: [], targetName: '', object: {}, property: '' };
}

function messageFor(code: string, check: RuleCheck, args: ValidationArguments | undefined): string {
  const value: unknown = args?.value;
  // With `each: true` the message is asked for with the whole array; name the first item that fails.
  const candidates: unknown[] = Array.isArray(value) ? value : [value];
  for (const candidate of candidates) {
    const violation = check(candidate, argsOf(candidate, args && { ...args, value: candidate }));
    if (violation) return violation.message;
  }
  return `${args?.property ?? 'value'} breaks rule ${code}`;
}
