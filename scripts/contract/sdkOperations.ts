// sdk/src/generated/operations.ts (OPERATIONS: operationId -> 'namespace.method', from `x-sdk`)
// and the table of operations in the SDK's README, between its two marker comments.
import type { SdkOperation } from './sdkModel';

export const TABLE_START = '<!-- operations: generated from openapi.yaml by `npm run generate`, do not edit -->';
export const TABLE_END = '<!-- /operations -->';

/** The text of sdk/src/generated/operations.ts, under `banner`. */
export function renderOperations(ops: SdkOperation[], banner: string): string {
  return [
    banner.trimEnd(),
    '',
    // The `satisfies` is the check both ways: a method the table names must exist on the client
    // (a hand-written override cannot lose one), and every operationId of the types must be listed.
    "import type { MethodPath } from '../operations.js';",
    "import type { OperationId } from '../types.js';",
    '',
    '/** `namespace.method` of every operation of the contract (its `x-sdk`). */',
    'export const OPERATIONS = {',
    ...ops.map((op) => `  ${op.operationId}: '${op.resource}.${op.method}',`),
    '} as const satisfies { readonly [O in OperationId]: MethodPath };',
    '',
  ].join('\n');
}

/**
 * `readme` with the table between its markers rewritten; `path` names it in the error thrown when
 * the markers are missing (the README is a target only because it has the table).
 */
export function withOperationsTable(readme: string, ops: SdkOperation[], path: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END, start);
  if (start < 0 || end < 0) throw new Error(`${path}: no operations table between ${TABLE_START} and ${TABLE_END}`);
  const rows = ops.map((op) => `| \`${op.operationId}\` | \`client.${op.resource}.${op.method}\` |`);
  const table = ['| operationId | method |', '|---|---|', ...rows].join('\n');
  // The blank line ends the table before the end marker, in every Markdown renderer.
  return `${readme.slice(0, start)}${TABLE_START}\n${table}\n\n${readme.slice(end)}`;
}
