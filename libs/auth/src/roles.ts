/**
 * Every role a credential can carry. Extend by appending: guards, the configuration parser and
 * `@Roles` pick a new role up from here. `tools/run/credentials.js` keeps a plain-JS copy
 * (plain Node, no build), which `credentials-script.spec.ts` holds equal to this one.
 *
 * - registrant: creates and reads its own seller
 * - reviewer:   reviews sellers (training staff act as reviewers too)
 * - operator:   programmes, links, everything; passes every role check
 * - partner:    a marketplace (its credential's scope) reading the sellers linked to it
 * - analyst:    reads reports
 */
export const ROLES = ['registrant', 'reviewer', 'operator', 'partner', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose credentials name the marketplace they act for, e.g. partner scoped to `amazon`. */
export const SCOPED_ROLES: readonly Role[] = ['partner'];

/** Passes every role check, including routes that declare no roles at all. */
export const OPERATOR_ROLE: Role = 'operator';

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
