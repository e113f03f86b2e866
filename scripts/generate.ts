// Generates TypeScript types from openapi.yaml into generated/openapi.ts (the service's) and
// sdk/src/generated/openapi.ts (the SDK's: the package ships its own copy), and keeps the SDK's
// version equal to the contract's `info.version`.
// `--check` regenerates in memory and fails when a committed file differs (CI's drift check).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

const root = join(__dirname, '..');
const SDK_PACKAGE = join(root, 'sdk', 'package.json');
const banner = '// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.\n\n';

async function render(spec: string): Promise<string> {
  // enumValues: the contract's enums also as arrays (scopeValues, roleValues...), so no list is copied by hand.
  const ast = await openapiTS(spec, { alphabetize: false, immutable: false, enumValues: true });
  return banner + astToString(ast);
}

/** sdk/package.json with `version` set to the contract's (the package's version is the contract's). */
function sdkPackage(version: string): string {
  const pkg = JSON.parse(readFileSync(SDK_PACKAGE, 'utf8')) as Record<string, unknown>;
  return JSON.stringify({ ...pkg, version }, null, 2) + '\n';
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // missing counts as stale
  }
}

async function main(): Promise<void> {
  const spec = readFileSync(join(root, 'openapi.yaml'), 'utf8');
  const types = await render(spec);
  const version = String((parse(spec) as { info: { version: string } }).info.version);
  const outputs: [string, string][] = [
    [join(root, 'generated', 'openapi.ts'), types],
    [join(root, 'sdk', 'src', 'generated', 'openapi.ts'), types],
    [SDK_PACKAGE, sdkPackage(version)],
  ];
  if (process.argv.includes('--check')) {
    const stale = outputs.filter(([path, fresh]) => read(path) !== fresh).map(([path]) => relative(root, path));
    if (stale.length) {
      console.error(`${stale.join(', ')} ${stale.length > 1 ? 'are' : 'is'} stale: run \`npm run generate\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${outputs.map(([path]) => relative(root, path)).join(', ')} are up to date (contract ${version}).`);
    return;
  }
  for (const [path, fresh] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fresh);
    console.log(`wrote ${relative(root, path)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
