import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The directory holding package.json: the repository root whether this module runs from source
 * (src/paths.ts under tsx) or compiled (dist/src/paths.js). The contract and the SQL migrations are
 * read from there, so the build has nothing to copy and both layouts read the same files.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** A path inside the package, e.g. `fromRoot('openapi.yaml')`. */
export const fromRoot = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
