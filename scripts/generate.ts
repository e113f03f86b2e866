// Generates TypeScript types from openapi.yaml into generated/openapi.ts.
// `--check` regenerates in memory and fails when the committed file differs (CI's drift check).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(__dirname, '..');
const target = join(root, 'generated', 'openapi.ts');
const banner = '// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.\n\n';

async function render(): Promise<string> {
  const spec = readFileSync(join(root, 'openapi.yaml'), 'utf8');
  // enumValues: the contract's enums also as arrays (scopeValues, roleValues...), so no list is copied by hand.
  const ast = await openapiTS(spec, { alphabetize: false, immutable: false, enumValues: true });
  return banner + astToString(ast);
}

async function main(): Promise<void> {
  const fresh = await render();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== fresh) {
      console.error('generated/openapi.ts is stale: run `npm run generate` and commit the result.');
      process.exit(1);
    }
    console.log('generated/openapi.ts is up to date.');
    return;
  }
  mkdirSync(join(root, 'generated'), { recursive: true });
  writeFileSync(target, fresh);
  console.log(`wrote ${target}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
