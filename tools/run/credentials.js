#!/usr/bin/env node
'use strict';
// Mints API credentials: `npm run credential -- <role> <id> [--scope <marketplace>]` prints the token
// once and the AUTH_CREDENTIALS entry (id, role, sha256 of the secret, scope) the services need.
// Also used by `npm start` (one local credential per role) and the e2e tests. Node builtins only.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// A copy of ROLES and SCOPED_ROLES in libs/auth/src/roles.ts, which this plain script cannot import
// without a build; libs/auth/src/credentials-script.spec.ts fails when the two differ.
const ROLES = ['registrant', 'reviewer', 'operator', 'partner', 'analyst'];
const SCOPED_ROLES = ['partner'];
const ID_PATTERN = /^[a-z0-9-]{3,40}$/;
const SCOPE_PATTERN = /^[a-z0-9-]{2,40}$/;
const TOKEN_PATTERN = /^niryat_([a-z0-9-]{3,40})_([A-Za-z0-9_-]{43})$/;

/** The credential `npm start` creates for each role; the partner acts for Amazon. */
const DEV_SCOPES = { partner: 'amazon' };

const USAGE = `usage: npm run credential -- <role> <id> [--scope <marketplace>]
       npm run -s credential -- --dev-env     export lines for npm start's local tokens

  role   ${ROLES.join(', ')}
  id     3 to 40 characters of a-z, 0-9 and -, unique among the credentials (it is logged)
  scope  the marketplace a partner acts for (amazon, flipkart, walmart, ...); partner only

Prints the token once (keep it: only its hash is stored anywhere) and the entry to append to the
services' AUTH_CREDENTIALS (comma-separated).`;

function problemsOf({ id, role, scope }) {
  const problems = [];
  if (!ROLES.includes(role)) problems.push(`unknown role "${role}" (roles: ${ROLES.join(', ')})`);
  if (!ID_PATTERN.test(id ?? '')) problems.push('the id must be 3 to 40 characters of a-z, 0-9 and -');
  if (SCOPED_ROLES.includes(role) && !scope) problems.push(`a ${role} credential needs --scope <marketplace>`);
  if (!SCOPED_ROLES.includes(role) && scope !== undefined) problems.push(`a ${role} credential takes no scope`);
  if (SCOPED_ROLES.includes(role) && scope !== undefined && !SCOPE_PATTERN.test(scope)) problems.push('the scope must be 2 to 40 characters of a-z, 0-9 and -');
  return problems;
}

const sha256Hex = (secret) => crypto.createHash('sha256').update(secret, 'utf8').digest('hex');

/** The AUTH_CREDENTIALS entry for a token: `<id>:<role>:<sha256hex>[:<scope>]`. */
function entryFor({ role, scope, token }) {
  const match = TOKEN_PATTERN.exec(token ?? '');
  if (!match) throw new Error('not a niryat_<id>_<secret> token');
  return [match[1], role, sha256Hex(match[2]), ...(scope ? [scope] : [])].join(':');
}

/** A new credential: `token` goes to the caller (once), `entry` into the services' AUTH_CREDENTIALS. */
function mintCredential({ id, role, scope }) {
  const problems = problemsOf({ id, role, scope });
  if (problems.length > 0) throw new Error(`cannot mint credential: ${problems.join('; ')}`);
  const token = `niryat_${id}_${crypto.randomBytes(32).toString('base64url')}`;
  return { token, entry: entryFor({ role, scope, token }) };
}

function writePrivate(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  fs.renameSync(temporary, file);
  fs.chmodSync(file, 0o600);
}

/**
 * One credential per role for local development, kept in `file` (mode 0600) and reused on later
 * starts; a role added to ROLES since gets its credential on the next start.
 * Returns the credentials with their entries, and whether the file was created or extended.
 */
function ensureDevCredentials(file) {
  let stored = [];
  if (fs.existsSync(file)) {
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8')).credentials;
      for (const credential of stored) entryFor(credential);
    } catch (error) {
      throw new Error(`${file} is not a credentials file written by npm start (${error.message}); delete it to mint new ones`);
    }
  }
  const missing = ROLES.filter((role) => !stored.some((credential) => credential.role === role));
  for (const role of missing) {
    const scope = DEV_SCOPES[role];
    const id = scope ? `dev-${role}-${scope}` : `dev-${role}`;
    stored.push({ id, role, ...(scope ? { scope } : {}), token: mintCredential({ id, role, scope }).token });
  }
  if (missing.length > 0) {
    const note = 'Local development credentials, created by npm start. Never use these tokens anywhere else.';
    writePrivate(file, `${JSON.stringify({ note, credentials: stored }, null, 2)}\n`);
  }
  const credentials = stored.map((credential) => ({ ...credential, entry: entryFor(credential) }));
  return { file, credentials, changed: missing.length > 0 };
}

/** `export NIRYAT_<ROLE>_TOKEN=...` lines for a shell. */
function exportLines(credentials) {
  return credentials.map(({ role, token }) => `export NIRYAT_${role.toUpperCase()}_TOKEN=${token}`);
}

function parseArgs(argv) {
  const positional = [];
  let scope;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--dev-env') return { devEnv: true };
    if (arg === '--scope') {
      if (i + 1 >= argv.length) throw new Error('--scope needs a value');
      scope = argv[++i];
    } else if (arg.startsWith('--scope=')) scope = arg.slice('--scope='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new Error('expected <role> <id>');
  return { role: positional[0], id: positional[1], scope };
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.devEnv) {
      // Only reads what npm start wrote; it never mints here, so the services' hashes stay in step.
      const file = path.join(__dirname, '..', '..', '.local', 'dev', 'credentials.json');
      if (!fs.existsSync(file)) throw new Error(`${file} does not exist yet: run npm start once`);
      process.stdout.write(`${exportLines(JSON.parse(fs.readFileSync(file, 'utf8')).credentials).join('\n')}\n`);
      return 0;
    }
    const { token, entry } = mintCredential(args);
    process.stdout.write(
      [
        `token (shown once; give it to the caller, who sends "Authorization: Bearer <token>" or "X-API-Key: <token>"):`,
        `  ${token}`,
        `AUTH_CREDENTIALS entry (append with a comma; it holds only the hash):`,
        `  ${entry}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main();

module.exports = { ROLES, SCOPED_ROLES, DEV_SCOPES, mintCredential, entryFor, ensureDevCredentials, exportLines };
