import { createHash } from 'node:crypto';
import { CredentialsConfigError, parseCredentials, readCredentialsConfig } from './credentials-config';

const HASH = createHash('sha256').update('not-a-real-secret').digest('hex');
const OTHER_HASH = createHash('sha256').update('another-secret').digest('hex');

function messageOf(raw: string): string {
  try {
    parseCredentials(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsConfigError);
    return (error as Error).message;
  }
  throw new Error('expected parseCredentials to throw');
}

describe('parseCredentials (AUTH_CREDENTIALS)', () => {
  it('reads id, role, hash and the partner scope; blank items and spaces are ignored', () => {
    const raw = ` ops-1:operator:${HASH} , amazon-feed:partner:${OTHER_HASH.toUpperCase()}:amazon,,`;
    expect(parseCredentials(raw)).toEqual([
      { id: 'ops-1', role: 'operator', hash: HASH },
      { id: 'amazon-feed', role: 'partner', hash: OTHER_HASH, scope: 'amazon' },
    ]);
  });

  it('reads unset or empty as no credentials', () => {
    expect(parseCredentials(undefined)).toEqual([]);
    expect(parseCredentials('')).toEqual([]);
  });

  it('accepts every role, analyst included', () => {
    const raw = ['registrant', 'reviewer', 'operator', 'analyst'].map((role, i) => `c-${i}:${role}:${HASH}`).join(',');
    expect(parseCredentials(raw).map((entry) => entry.role)).toEqual(['registrant', 'reviewer', 'operator', 'analyst']);
  });

  it.each([
    ['a duplicate id', `rev-1:reviewer:${HASH},rev-1:operator:${OTHER_HASH}`, 'entry 2 ("rev-1"): duplicate id, already used by entry 1'],
    ['an unknown role', `rev-1:revewer:${HASH}`, 'entry 1 ("rev-1"): unknown role "revewer" (roles: registrant, reviewer, operator, partner, analyst)'],
    ['a short hash', `rev-1:reviewer:${HASH.slice(0, 40)}`, 'entry 1 ("rev-1"): the hash must be the 64 hex characters of sha256(secret), got 40 characters'],
    ['a partner without scope', `amazon-feed:partner:${HASH}`, 'entry 1 ("amazon-feed"): a partner credential needs a scope'],
    ['a scope on another role', `rev-1:reviewer:${HASH}:amazon`, 'entry 1 ("rev-1"): a reviewer credential takes no scope'],
    ['a bad id', `Rev_1:reviewer:${HASH}`, 'entry 1: id must be 3 to 40 characters'],
    ['too few fields', 'rev-1:reviewer', 'entry 1 ("rev-1"): expected <id>:<role>:<sha256hex>[:<scope>]'],
  ])('refuses %s, naming the entry', (_case, raw, expected) => {
    expect(messageOf(raw)).toContain(expected);
  });

  it('names every bad entry at once and keeps the good ones out of the result', () => {
    const { entries, problems } = readCredentialsConfig(`ok-1:operator:${HASH},bad-1:nobody:${HASH},bad-2:partner:${OTHER_HASH}`);
    expect(entries.map((entry) => entry.id)).toEqual(['ok-1']);
    expect(problems).toHaveLength(2);
    expect(messageOf(`ok-1:operator:${HASH},bad-1:nobody:${HASH},bad-2:partner:${OTHER_HASH}`)).toMatch(/^AUTH_CREDENTIALS has 2 problem\(s\)/);
  });

  it('never echoes a hash or a secret, even from a misordered or pasted entry', () => {
    const token = 'niryat_rev-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const message = messageOf([`${HASH}:reviewer:rev-1`, `rev-2:${OTHER_HASH}:reviewer`, token, `rev-3:reviewer:${HASH}x`].join(','));
    expect(message).toContain('entry 1:');
    expect(message).toContain('entry 3:');
    for (const secret of [HASH, OTHER_HASH, token, 'AAAAAAAAAAAA']) expect(message).not.toContain(secret);
  });
});
