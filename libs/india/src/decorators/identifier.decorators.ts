import { ValidationOptions } from 'class-validator';
import { GstinRule, validateGstin } from '../gstin';
import { IecRule, validateIec } from '../iec';
import { IfscRule, validateIfsc } from '../ifsc';
import { IndianMobileRule, validateIndianMobile } from '../indian-mobile';
import { ItcHsRule, validateItcHsCode } from '../itc-hs';
import { PanRule, validatePan } from '../pan';
import { PinCodeRule, validatePinCode } from '../pin-code';
import { isGstStateCode } from '../states';
import { UdyamRule, validateUdyamNumber } from '../udyam';
import { Violation } from '../violation';
import { RuleConstraints, ruleOf } from './rule.decorator';

/**
 * Field decorators: one constraint per rule, each reported under its own code. They validate the
 * value as it is; put `@NormaliseIdentifier()` on the field so `plainToInstance` trims and upper-cases
 * it first. Which rules are reported together and which hide the others is the pure validator's
 * precedence (see `validateGstin`, `validatePan`, `validateUdyamNumber`).
 */
function rulesOf<R extends Record<string, string>>(rules: R, validate: (value: unknown) => Violation[], validationOptions?: ValidationOptions) {
  return RuleConstraints(
    Object.values(rules).map((code) => [code, ruleOf(validate, code)] as const),
    validationOptions,
  );
}

/** `gstinLength`, `gstinStateCode`, `gstinPan`, `gstinEntityNumber`, `gstinDefaultZ`, `gstinCheckCharacter`. */
export function IsGstin(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(GstinRule, validateGstin, validationOptions);
}

/** `panFormat`, `panHolderType`, `panSerial`. */
export function IsPan(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(PanRule, validatePan, validationOptions);
}

/** `udyamFormat`, `udyamStateCode`. */
export function IsUdyamNumber(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(UdyamRule, validateUdyamNumber, validationOptions);
}

/** `iecFormat`. */
export function IsIec(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(IecRule, validateIec, validationOptions);
}

/** `ifscFormat`. */
export function IsIfsc(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(IfscRule, validateIfsc, validationOptions);
}

/** `pinCodeFormat`. */
export function IsPinCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(PinCodeRule, validatePinCode, validationOptions);
}

/** `indianMobile`. Accepts spaced forms; pair with `@NormaliseIndianMobile()` to store `+919876543210`. */
export function IsIndianMobile(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(IndianMobileRule, validateIndianMobile, validationOptions);
}

/** `itcHsCode`. */
export function IsItcHsCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return rulesOf(ItcHsRule, validateItcHsCode, validationOptions);
}

export const GstStateCodeRule = {
  code: 'gstStateCode',
} as const;

/** `gstStateCode`: one of the GST state codes of INDIAN_STATES (01-38, 97, 99), as text. */
export function IsGstStateCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return RuleConstraints(
    [
      [
        GstStateCodeRule.code,
        (value, args) =>
          isGstStateCode(value)
            ? undefined
            : { code: GstStateCodeRule.code, message: `${args.property || 'value'} must be a GST state code (01-38, 97 or 99)` },
      ],
    ],
    validationOptions,
  );
}
