// generated/operations.ts: what the contract says of each operation that handlers must see in
// their types, read with the service's own reader (src/contract/operations.ts), so the compiler
// and the pipeline cannot disagree: which operations run in a transaction, and the event types
// each may emit (`x-events`).
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
