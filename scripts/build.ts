// `npm run build` (npm ci runs it too, as `prepare`): the service compiled into dist/ for
// `npm start` (plain node, no TypeScript loader), and the contract parsed once into
// dist/openapi.json (src/contract/snapshot.ts) so that starting does not parse YAML.
// dist/ is removed first, so a deleted source file leaves no stale module behind.
// The contract and the SQL migrations stay where they are: the service reads them from the
// package root (src/paths.ts) in both layouts.
// Then the browser console (console/, Vite) into dist/console, which /console serves; the build
// fails when its first page's JavaScript is over budget.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderSnapshot, SNAPSHOT_PATH } from '../src/contract/snapshot';
import { SPEC_PATH } from '../src/contract/document';
import { buildConsole, firstPageJs, FIRST_PAGE_JS_BUDGET, kB } from './console/bundle';

const root = join(__dirname, '..');
const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const text = readFileSync(SPEC_PATH, 'utf8');
writeFileSync(SNAPSHOT_PATH, renderSnapshot(text, parse(text)));
buildConsole(root);
const size = firstPageJs(join(root, 'dist', 'console'));
console.log(`console: first page JavaScript ${kB(size.gzipBytes)} gzipped (budget ${kB(FIRST_PAGE_JS_BUDGET)}; ${size.files.length} file(s), ${kB(size.files.reduce((s, f) => s + f.bytes, 0))} raw)`);
if (size.gzipBytes > FIRST_PAGE_JS_BUDGET) {
  console.error('build: the console is over its JavaScript budget');
  process.exit(1);
}
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
