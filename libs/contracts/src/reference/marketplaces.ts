/**
 * Partner marketplaces the platform integrates with. A programme's partner and a seller's
 * marketplace accounts are one of these; adding a partner starts here.
 */
export const MARKETPLACES = ['amazon', 'flipkart', 'walmart'] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

/** The MSME categories are India's rule, kept with the rule tables in @niryat/india. */
export { MSME_CATEGORIES, type MsmeCategory } from '@niryat/india';

export const PROGRAMME_KINDS = ['export', 'training', 'both'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

export const TARGET_BASES = ['cumulative', 'annual'] as const;
export type TargetBasis = (typeof TARGET_BASES)[number];

/** Programme ids are slugs of 3 to 64 characters, e.g. `amazon-global-selling`. */
export const PROGRAMME_ID_PATTERN = /^(?=.{3,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A calendar day, YYYY-MM-DD, with month 01-12 and day 01-31. */
export const CALENDAR_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Marketplace account ids as partners issue them: letters, digits and a few separators. */
export const MARKETPLACE_ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * The longest free-text reason Niryat accepts from a person: a sentence or two for an operator,
 * never personal data. Events carry up to 1000 characters (those written before this limit).
 */
export const REASON_MAX_LENGTH = 280;
