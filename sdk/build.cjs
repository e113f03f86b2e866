// Builds dist/: CommonJS in dist/cjs and ES modules in dist/esm, each with its .d.ts files.
// dist/esm/package.json says "type": "module", so Node and TypeScript read that folder as ESM
// (and its .d.ts files as ESM types) while the package itself stays CommonJS by default.
const { execFileSync } = require('node:child_process');
const { rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const tsc = require.resolve('typescript/bin/tsc');
rmSync(join(__dirname, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.json', 'tsconfig.esm.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', join(__dirname, config)], { stdio: 'inherit' });
  } catch {
    console.error(`build: tsc -p ${config} failed`);
    process.exit(1);
  }
}
writeFileSync(join(__dirname, 'dist', 'esm', 'package.json'), '{\n  "type": "module"\n}\n');
