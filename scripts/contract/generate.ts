// What `npm run generate` writes from the contract: its TypeScript types (the service's copy and
// the SDK's: the package ships its own), the operation facts handlers are typed with, and the
// SDK's package.json with the contract's `info.version`.
// Rendered in memory first, so `--check` and `npm run release` compare or write the same text.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { ROOT } from './diff';
import { renderOperationFacts } from './operationFacts';
import type { OpenApiDocument } from '../../src/contract/document';

export interface Targets {
  /** Each gets the same generated types. */
  types: string[];
  /** Which operations run in a transaction, and the events each emits (generated/operations.ts). */
  operationFacts: string;
  /** Read, and written back with `version` set to the contract's. */
  sdkPackage: string;
}

export const TARGETS: Targets = {
  types: [join(ROOT, 'generated', 'openapi.ts'), join(ROOT, 'sdk', 'src', 'generated', 'openapi.ts')],
  operationFacts: join(ROOT, 'generated', 'operations.ts'),
  sdkPackage: join(ROOT, 'sdk', 'package.json'),
};

const banner = '// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.\n\n';

/** Every target's path and fresh text for the contract `spec` (its YAML text). */
export async function render(spec: string, targets: Targets = TARGETS): Promise<[string, string][]> {
  // enumValues: the contract's enums also as arrays (scopeValues, roleValues...), so no list is copied by hand.
  const types = banner + astToString(await openapiTS(spec, { alphabetize: false, immutable: false, enumValues: true }));
  const doc = parse(spec) as OpenApiDocument & { info: { version: string } };
  const version = String(doc.info.version);
  const pkg = JSON.parse(readFileSync(targets.sdkPackage, 'utf8')) as Record<string, unknown>;
  return [
    ...targets.types.map((path): [string, string] => [path, types]),
    [targets.operationFacts, renderOperationFacts(doc, banner)],
    [targets.sdkPackage, JSON.stringify({ ...pkg, version }, null, 2) + '\n'],
  ];
}

/** The paths whose text differs from the fresh one (a missing file counts as stale). */
export function stale(outputs: [string, string][]): string[] {
  const current = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  return outputs.filter(([path, fresh]) => current(path) !== fresh).map(([path]) => path);
}

export function write(outputs: [string, string][]): void {
  for (const [path, fresh] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fresh);
  }
}
