import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { isGstin } from '../gstin';
import { isIec } from '../iec';
import { isPan } from '../pan';
import { personalDataIn } from '../personal-data';
import { describeGstState, isGstStateCode, udyamLettersOfGstState } from '../states';
import { udyamStateOf } from '../udyam';
import { maskIdentifier, Violation } from '../violation';
import { RuleConstraint } from './rule.decorator';

export const CrossFieldRule = {
  gstinMatchesState: 'gstinMatchesState',
  gstinMatchesPan: 'gstinMatchesPan',
  udyamMatchesState: 'udyamMatchesState',
  iecMatchesPan: 'iecMatchesPan',
} as const;

/**
 * Cross-field rules compare two fields that are each valid on their own. When either is not (or the
 * other field is absent), the comparison passes: the broken field already reports its own rule, and
 * a mismatch on top would only repeat it.
 */
function otherField(args: ValidationArguments, property: string): unknown {
  return (args.object as Record<string, unknown>)[property];
}

/** `gstinMatchesState`: the GSTIN's first two characters equal the state code in `stateProperty`. */
export function GstinMatchesState(stateProperty: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return RuleConstraint(
    CrossFieldRule.gstinMatchesState,
    (gstin, args): Violation | undefined => {
      const state = otherField(args, stateProperty);
      if (!isGstin(gstin) || !isGstStateCode(state) || gstin.slice(0, 2) === state) return undefined;
      return {
        code: CrossFieldRule.gstinMatchesState,
        message: `GSTIN is registered in state ${describeGstState(gstin.slice(0, 2))}, not ${stateProperty} ${describeGstState(state)}`,
      };
    },
    validationOptions,
  );
}

/** `gstinMatchesPan`: characters 3-12 of the GSTIN equal the PAN in `panProperty`. */
export function GstinMatchesPan(panProperty: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return RuleConstraint(
    CrossFieldRule.gstinMatchesPan,
    (gstin, args): Violation | undefined => {
      const pan = otherField(args, panProperty);
      if (!isGstin(gstin) || !isPan(pan) || gstin.slice(2, 12) === pan) return undefined;
      return {
        code: CrossFieldRule.gstinMatchesPan,
        message: `GSTIN ${maskIdentifier(gstin)} belongs to PAN ${maskIdentifier(gstin.slice(2, 12))}, not ${panProperty} ${maskIdentifier(pan)}`,
      };
    },
    validationOptions,
  );
}

/** `udyamMatchesState`: the Udyam number's state letters are those of the state code in `stateProperty`. */
export function UdyamMatchesState(stateProperty: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return RuleConstraint(
    CrossFieldRule.udyamMatchesState,
    (udyam, args): Violation | undefined => {
      const state = otherField(args, stateProperty);
      const udyamState = typeof udyam === 'string' ? udyamStateOf(udyam) : undefined;
      if (udyamState === undefined || !isGstStateCode(state) || udyamState === state) return undefined;
      const letters = udyamLettersOfGstState(state);
      const expected = letters === undefined ? '' : ` (expected UDYAM-${letters}-…)`;
      return {
        code: CrossFieldRule.udyamMatchesState,
        message: `Udyam number is registered in ${describeGstState(udyamState)}, not ${stateProperty} ${describeGstState(state)}${expected}`,
      };
    },
    validationOptions,
  );
}

/** `iecMatchesPan`: since 2017 the IEC is the PAN, so the two fields must be equal. */
export function IecMatchesPan(panProperty: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return RuleConstraint(
    CrossFieldRule.iecMatchesPan,
    (iec, args): Violation | undefined => {
      const pan = otherField(args, panProperty);
      if (!isIec(iec) || !isPan(pan) || iec === pan) return undefined;
      return {
        code: CrossFieldRule.iecMatchesPan,
        message: `since 2017 the IEC is the holder's PAN, so they must be equal: IEC ${maskIdentifier(iec)} differs from ${panProperty} ${maskIdentifier(pan)}`,
      };
    },
    validationOptions,
  );
}

/**
 * `noPersonalData`: free text for operators (a reason) that must not carry a PAN, GSTIN, e-mail
 * address, mobile or account number: it travels on events and into logs, which never hold them.
 */
export function HoldsNoPersonalData(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noPersonalData',
      validator: {
        validate: (value) => typeof value !== 'string' || personalDataIn(value).length === 0,
        defaultMessage: (args) =>
          `${args?.property} is text for operators and must not carry personal data; it seems to hold ${personalDataIn(String(args?.value ?? '')).join(', ')}`,
      },
    },
    validationOptions,
  );
}
