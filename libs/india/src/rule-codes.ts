import { CrossFieldRule } from './decorators/cross-field.decorators';
import { GstStateCodeRule } from './decorators/identifier.decorators';
import { GstinRule } from './gstin';
import { IecRule } from './iec';
import { IfscRule } from './ifsc';
import { IndianMobileRule } from './indian-mobile';
import { ItcHsRule } from './itc-hs';
import { PanRule } from './pan';
import { PinCodeRule } from './pin-code';
import { UdyamRule } from './udyam';

/**
 * Every rule code this library can report, as clients see them in `fields[].code`. They are part of
 * the API: renaming one breaks every client that reacts to it, so add codes, never rename them.
 */
export const INDIA_RULE_CODES: readonly string[] = Object.freeze(
  [GstinRule, PanRule, UdyamRule, IecRule, IfscRule, PinCodeRule, IndianMobileRule, ItcHsRule, GstStateCodeRule, CrossFieldRule].flatMap((rules) =>
    Object.values(rules),
  ),
);
