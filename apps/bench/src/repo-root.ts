import { join } from 'node:path';

/** The repository's root: the forked bench processes run TypeScript from source there. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
