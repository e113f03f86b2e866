// Whether dist/ (npm run build) is current: its last output, dist/openapi.json, is newer than every
// file it is built from. The bench's start-up part and the compiled-service test build when not.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'generated', 'openapi.yaml', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function isBuilt(root: string): boolean {
  const last = join(root, 'dist', 'openapi.json');
  return existsSync(last) && statSync(last).mtimeMs >= Math.max(...SOURCES.map((p) => newestMtime(join(root, p))));
}

/** `npm run build` unless dist/ is current. */
export function ensureBuilt(root: string, log: (msg: string) => void): void {
  if (isBuilt(root)) return;
  log('dist/ is missing or older than its sources: npm run build');
  const run = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`npm run build failed (${run.status ?? run.signal})`);
}

/**
 * What `npm start` runs (package.json's `start` script: node, its flags, the compiled entry point)
 * as an argv for spawn, with this node binary: the bench and the tests run the service exactly so,
 * flags included, without npm in between (signals then reach the service itself).
 */
export function startArgv(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node' || !args.at(-1)?.endsWith('.js')) throw new Error(`package.json's start script is not "node [flags] <file>.js": ${pkg.scripts.start}`);
  return [process.execPath, ...args];
}
