import { DecimalRule } from './decimal';
import { MoneyRule } from './decorators/money.decorators';

/** Every rule code this library can report. Part of the API: add codes, never rename them. */
export const MONEY_RULE_CODES: readonly string[] = Object.freeze([DecimalRule, MoneyRule].flatMap((rules) => Object.values(rules)));
