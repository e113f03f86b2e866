// Builds dist/: CommonJS in dist/cjs and ES modules in dist/esm, each with its .d.ts files.
// dist/esm/package.json says "type": "module", so Node and TypeScript read that folder as ESM
// (and its .d.ts files as ESM types) while the package itself stays CommonJS by default.
// `node build.cjs <folder>` builds into that folder instead (the tests load both builds from one
// of their own, so that they never race a pack of dist/).
const { execFileSync } = require('node:child_process');
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const tsc = require.resolve('typescript/bin/tsc');
const out = process.argv[2] ? resolve(process.argv[2]) : join(__dirname, 'dist');
rmSync(out, { recursive: true, force: true });
for (const [config, folder] of [['tsconfig.json', 'cjs'], ['tsconfig.esm.json', 'esm']]) {
  try {
    execFileSync(process.execPath, [tsc, '-p', join(__dirname, config), '--outDir', join(out, folder)], { stdio: 'inherit' });
  } catch {
    console.error(`build: tsc -p ${config} failed`);
    process.exit(1);
  }
}
mkdirSync(join(out, 'esm'), { recursive: true });
writeFileSync(join(out, 'esm', 'package.json'), '{\n  "type": "module"\n}\n');
