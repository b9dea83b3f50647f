import { CREDENTIAL_ID_PATTERN } from './credential-token';
import { isRole, Role, ROLES, SCOPED_ROLES } from './roles';

/** One configured credential: only the sha256 of its secret is known to the service. */
export interface CredentialEntry {
  id: string;
  role: Role;
  /** sha256 of the secret, lower-case hex (64 characters). */
  hash: string;
  /** The marketplace a partner acts for; only partner credentials have one. */
  scope?: string;
}

export const SCOPE_PATTERN = /^[a-z0-9-]{2,40}$/;
const HASH_PATTERN = /^[0-9a-fA-F]{64}$/;
// Names and roles are echoed in error messages only when they look like names: a misordered entry
// could otherwise print a hash (or a pasted secret) into the boot log.
const ECHOABLE = /^[a-z0-9-]{1,40}$/;

export class CredentialsConfigError extends Error {}

export interface CredentialsConfig {
  entries: CredentialEntry[];
  /** One sentence per bad entry, naming it by position and (when safe) id; never a hash. */
  problems: string[];
}

/**
 * Reads `AUTH_CREDENTIALS`: comma-separated `<id>:<role>:<sha256hex>[:<scope>]`, scope required
 * for partner and forbidden otherwise. Empty or unset means no credentials. Blank items (a
 * trailing comma) are skipped.
 */
export function readCredentialsConfig(raw: string | undefined): CredentialsConfig {
  const entries: CredentialEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const items = (raw ?? '').split(',').map((item) => item.trim());
  items.forEach((item, index) => {
    if (item === '') return;
    const position = index + 1;
    const fields = item.split(':');
    const [id, role, hash, scope] = fields;
    const where = ECHOABLE.test(id) ? `entry ${position} ("${id}")` : `entry ${position}`;
    const bad = (reason: string) => problems.push(`${where}: ${reason}`);
    if (fields.length < 3 || fields.length > 4) {
      bad('expected <id>:<role>:<sha256hex>[:<scope>]');
      return;
    }
    const before = problems.length;
    if (!CREDENTIAL_ID_PATTERN.test(id)) bad('id must be 3 to 40 characters of a-z, 0-9 and -');
    else if (seen.has(id)) bad(`duplicate id, already used by entry ${seen.get(id)}`);
    else seen.set(id, position);
    if (!isRole(role)) bad(`unknown role${ECHOABLE.test(role) ? ` "${role}"` : ''} (roles: ${ROLES.join(', ')})`);
    if (!HASH_PATTERN.test(hash)) bad(`the hash must be the 64 hex characters of sha256(secret), got ${hash.length} characters`);
    if (isRole(role)) {
      const scoped = SCOPED_ROLES.includes(role);
      if (scoped && !scope) bad(`a ${role} credential needs a scope, the marketplace it acts for (<id>:${role}:<sha256hex>:amazon)`);
      if (!scoped && scope !== undefined) bad(`a ${role} credential takes no scope`);
      if (scoped && scope && !SCOPE_PATTERN.test(scope)) bad('the scope must be 2 to 40 characters of a-z, 0-9 and -');
    }
    if (problems.length === before) {
      entries.push({ id, role: role as Role, hash: hash.toLowerCase(), ...(scope ? { scope } : {}) });
    }
  });
  return { entries, problems };
}

/** As `readCredentialsConfig`, but throws one message naming every bad entry. */
export function parseCredentials(raw: string | undefined): CredentialEntry[] {
  const { entries, problems } = readCredentialsConfig(raw);
  if (problems.length > 0) throw new CredentialsConfigError(describeCredentialProblems(problems));
  return entries;
}

export function describeCredentialProblems(problems: string[]): string {
  return `AUTH_CREDENTIALS has ${problems.length} problem(s): ${problems.join('; ')}`;
}
