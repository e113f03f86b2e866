// What `npm run generate` writes from the contract: its TypeScript types (the service's copy and
// the SDK's: the package ships its own), the operation facts handlers are typed with, the SDK's
// package.json with the contract's `info.version`, and the SDK's code that follows each operation's
// `x-sdk` (its methods, OPERATIONS, the README's table).
// Rendered in memory first, so `--check` and `npm run release` compare or write the same text.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { ROOT } from './diff';
import type { OpenApiDocument } from '../../src/contract/document';
import { renderHandlerIndex, renderOperationFacts } from './operationFacts';
import { sdkOperations } from './sdkModel';
import { renderOperations, withOperationsTable } from './sdkOperations';
import { renderResources } from './sdkResources';

export interface Targets {
  /** Each gets the same generated types. */
  types: string[];
  /** Which operations run in a transaction, and the events each emits (generated/operations.ts). */
  operationFacts: string;
  /** The handler map (generated/handlers.ts); left out in copies that have no handlers. */
  handlers?: string;
  /** Read, and written back with `version` set to the contract's. */
  sdkPackage: string;
  /** The SDK's code from `x-sdk`; left out, none of it is rendered (a copy with only the types). */
  sdk?: {
    operations: string;
    resources: string;
    /** Each must hold the operations table's markers; the table between them is rewritten. */
    readmes: string[];
  };
}

export const TARGETS: Targets = {
  types: [join(ROOT, 'generated', 'openapi.ts'), join(ROOT, 'sdk', 'src', 'generated', 'openapi.ts')],
  operationFacts: join(ROOT, 'generated', 'operations.ts'),
  handlers: join(ROOT, 'generated', 'handlers.ts'),
  sdkPackage: join(ROOT, 'sdk', 'package.json'),
  sdk: {
    operations: join(ROOT, 'sdk', 'src', 'generated', 'operations.ts'),
    resources: join(ROOT, 'sdk', 'src', 'generated', 'resources.ts'),
    readmes: [join(ROOT, 'sdk', 'README.md')],
  },
};

const banner = '// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.\n\n';

/** Every target's path and fresh text for the contract `spec` (its YAML text). */
export async function render(spec: string, targets: Targets = TARGETS): Promise<[string, string][]> {
  // enumValues: the contract's enums also as arrays (scopeValues, roleValues...), so no list is copied by hand.
  const types = banner + astToString(await openapiTS(spec, { alphabetize: false, immutable: false, enumValues: true }));
  const doc = parse(spec) as OpenApiDocument & { info: { version: string } };
  const version = String(doc.info.version);
  const pkg = JSON.parse(readFileSync(targets.sdkPackage, 'utf8')) as Record<string, unknown>;
  const outputs: [string, string][] = [
    ...targets.types.map((path): [string, string] => [path, types]),
    [targets.operationFacts, renderOperationFacts(doc, banner)],
    ...(targets.handlers ? [[targets.handlers, renderHandlerIndex(doc, banner)] as [string, string]] : []),
    [targets.sdkPackage, JSON.stringify({ ...pkg, version }, null, 2) + '\n'],
  ];
  if (!targets.sdk) return outputs;
  const ops = sdkOperations(doc);
  outputs.push([targets.sdk.operations, renderOperations(ops, banner)], [targets.sdk.resources, renderResources(ops, banner)]);
  for (const readme of targets.sdk.readmes) outputs.push([readme, withOperationsTable(readFileSync(readme, 'utf8'), ops, readme)]);
  return outputs;
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
