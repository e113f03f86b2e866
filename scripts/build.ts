// `npm run build` (npm ci runs it too, as `prepare`): the service compiled into dist/ for
// `npm start` (plain node, no TypeScript loader), and the contract parsed once into
// dist/openapi.json (src/contract/snapshot.ts) so that starting does not parse YAML.
// dist/ is removed first, so a deleted source file leaves no stale module behind.
// The contract and the SQL migrations stay where they are: the service reads them from the
// package root (src/paths.ts) in both layouts.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderSnapshot, SNAPSHOT_PATH } from '../src/contract/snapshot';
import { SPEC_PATH } from '../src/contract/document';

const root = join(__dirname, '..');
const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const text = readFileSync(SPEC_PATH, 'utf8');
writeFileSync(SNAPSHOT_PATH, renderSnapshot(text, parse(text)));
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
