// `npm run generate`: writes generated/openapi.ts, sdk/src/generated/openapi.ts and sdk/package.json's
// version from openapi.yaml (scripts/contract/generate.ts).
// `--check` renders in memory and fails when a committed file differs (CI's drift check).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { render, stale, write } from './contract/generate';
import { ROOT } from './contract/diff';

async function main(): Promise<void> {
  const spec = readFileSync(join(ROOT, 'openapi.yaml'), 'utf8');
  const outputs = await render(spec);
  const names = (paths: string[]) => paths.map((path) => relative(ROOT, path)).join(', ');
  if (process.argv.includes('--check')) {
    const old = stale(outputs);
    if (old.length) {
      console.error(`${names(old)} ${old.length > 1 ? 'are' : 'is'} stale: run \`npm run generate\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${names(outputs.map(([path]) => path))} are up to date (contract ${(parse(spec) as { info: { version: string } }).info.version}).`);
    return;
  }
  write(outputs);
  console.log(`wrote ${names(outputs.map(([path]) => path))}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
