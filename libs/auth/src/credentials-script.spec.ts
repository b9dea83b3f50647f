import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore } from './credential-store';
import { parseToken } from './credential-token';
import { parseCredentials } from './credentials-config';
import { Principal } from './principal';
import { Role, ROLES, SCOPED_ROLES } from './roles';

interface Minted {
  token: string;
  entry: string;
}
interface DevCredential extends Minted {
  id: string;
  role: Role;
  scope?: string;
}
interface CredentialsScript {
  ROLES: string[];
  SCOPED_ROLES: string[];
  mintCredential(options: { id: string; role: string; scope?: string }): Minted;
  ensureDevCredentials(file: string): { file: string; credentials: DevCredential[]; changed: boolean };
}

// The plain-Node minting script (`npm run credential`, `npm start`, e2e) must agree with this library.
const script = require(join(__dirname, '..', '..', '..', 'tools', 'run', 'credentials.js')) as CredentialsScript;

function principalOf({ token, entry }: Minted): Principal | undefined {
  const parts = parseToken(token);
  if (!parts) throw new Error('minted token does not parse');
  return CredentialStore.fromConfig(entry).verify(parts);
}

describe('tools/run/credentials.js', () => {
  it('knows the same roles as libs/auth', () => {
    expect(script.ROLES).toEqual([...ROLES]);
    expect(script.SCOPED_ROLES).toEqual([...SCOPED_ROLES]);
  });

  it('mints tokens and entries the services accept', () => {
    expect(principalOf(script.mintCredential({ id: 'rev-1', role: 'reviewer' }))).toEqual({ id: 'rev-1', role: 'reviewer' });
    expect(principalOf(script.mintCredential({ id: 'flipkart-feed', role: 'partner', scope: 'flipkart' }))).toEqual({
      id: 'flipkart-feed',
      role: 'partner',
      scope: 'flipkart',
    });
  });

  it('puts only the hash in the entry, and a fresh secret in every token', () => {
    const first = script.mintCredential({ id: 'ops-1', role: 'operator' });
    const second = script.mintCredential({ id: 'ops-1', role: 'operator' });
    expect(first.token).not.toBe(second.token);
    expect(first.entry).not.toContain(parseToken(first.token)?.secret);
    expect(first.entry).toMatch(/^ops-1:operator:[0-9a-f]{64}$/);
  });

  it.each([
    [{ id: 'amazon-feed', role: 'partner' }, /needs --scope/],
    [{ id: 'rev-1', role: 'reviewer', scope: 'amazon' }, /takes no scope/],
    [{ id: 'rev-1', role: 'auditor' }, /unknown role "auditor"/],
    [{ id: 'x', role: 'reviewer' }, /3 to 40 characters/],
  ])('refuses %p', (options, message) => {
    expect(() => script.mintCredential(options)).toThrow(message);
  });

  describe('ensureDevCredentials (npm start)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'niryat-credentials-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('creates one credential per role in a 0600 file, then reuses it', () => {
      const file = join(dir, 'dev', 'credentials.json');
      const first = script.ensureDevCredentials(file);
      expect(first.changed).toBe(true);
      expect(first.credentials.map((c) => c.role).sort()).toEqual([...ROLES].sort());
      expect(first.credentials.find((c) => c.role === 'partner')).toMatchObject({ id: 'dev-partner-amazon', scope: 'amazon' });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const entries = parseCredentials(first.credentials.map((c) => c.entry).join(','));
      expect(entries).toHaveLength(ROLES.length);
      for (const credential of first.credentials) expect(principalOf(credential)?.role).toBe(credential.role);

      const second = script.ensureDevCredentials(file);
      expect(second.changed).toBe(false);
      expect(second.credentials).toEqual(first.credentials);
    });

    it('adds a credential for a role the file does not have yet', () => {
      const file = join(dir, 'credentials.json');
      const { credentials } = script.ensureDevCredentials(file);
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { credentials: DevCredential[] };
      writeFileSync(file, JSON.stringify({ credentials: stored.credentials.filter((c) => c.role !== 'analyst') }));
      const again = script.ensureDevCredentials(file);
      expect(again.changed).toBe(true);
      expect(again.credentials.filter((c) => c.role !== 'analyst')).toEqual(credentials.filter((c) => c.role !== 'analyst'));
      expect(again.credentials.find((c) => c.role === 'analyst')?.token).not.toBe(credentials.find((c) => c.role === 'analyst')?.token);
    });

    it('refuses a file it did not write, saying how to recover', () => {
      const file = join(dir, 'credentials.json');
      writeFileSync(file, '{"credentials":[{"role":"operator","token":"oops"}]}');
      expect(() => script.ensureDevCredentials(file)).toThrow(/delete it to mint new ones/);
    });
  });
});
