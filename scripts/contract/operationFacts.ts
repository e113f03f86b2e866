// generated/operations.ts: what the contract says of each operation that handlers must see in
// their types, read with the service's own reader (src/contract/operations.ts), so the compiler
// and the pipeline cannot disagree: which operations run in a transaction, and the event types
// each may emit (`x-events`). generated/handlers.ts: the handler map, one module per operation
// (src/handlers/<operationId>.ts), so a new operation's handler is found by its name alone and a
// missing one is a compile error naming the file.
import { listOperations } from '../../src/contract/operations';
import type { OpenApiDocument } from '../../src/contract/document';

const union = (names: string[]) => (names.length ? names.map((n) => JSON.stringify(n)).join(' | ') : 'never');

export function renderOperationFacts(doc: OpenApiDocument, banner: string): string {
  const ops = listOperations(doc);
  const transactional = ops.filter((op) => op.transactional).map((op) => op.operationId);
  const lines = [
    banner.trimEnd(),
    '',
    '/**',
    ' * The operations whose handler runs in one transaction: each takes an Idempotency-Key or an',
    ' * If-Match, or emits events (src/contract/operations.ts, isTransactional).',
    ' */',
    `export type TransactionalOperation = ${union(transactional)};`,
    '',
    '/** The event types each operation may emit: its `x-events`. */',
    'export interface OperationEvents {',
    ...ops.map((op) => `  ${op.operationId}: ${union(op.events)};`),
    '}',
    '',
  ];
  return lines.join('\n');
}

export function renderHandlerIndex(doc: OpenApiDocument, banner: string): string {
  const ids = listOperations(doc).map((op) => op.operationId);
  return [
    banner.trimEnd(),
    '',
    "import type { HandlerMap } from '../src/pipeline/handler';",
    ...ids.map((id) => `import { ${id} } from '../src/handlers/${id}';`),
    '',
    '/** operationId -> handler: each operation\'s module in src/handlers/ exports it under the operationId. */',
    'export const handlers = {',
    ...ids.map((id) => `  ${id},`),
    '} satisfies HandlerMap;',
    '',
  ].join('\n');
}
