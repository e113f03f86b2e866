// What the handler types forbid, checked by the compiler: each `@ts-expect-error` below must stay an
// error, or `npm run typecheck` fails ("unused directive"). The contract decides which operations
// run in a transaction (generated/operations.ts); a handler needing one cannot be bound to another.
import assert from 'node:assert/strict';
import { defineHandler } from '../../src/pipeline/handler';
import { listOperations } from '../../src/contract/operations';
import { loadSpec } from '../../src/contract/document';
import type { TransactionalOperation } from '../../generated/operations';

const reply = { status: 204 } as never;

// getProject runs without a transaction: no events, and no read that locks a row.
// @ts-expect-error 'events' is not a dependency of a non-transactional operation
defineHandler('getProject', ['events'], async () => reply);
defineHandler('getProject', ['store'], async (req, { store }) => {
  // @ts-expect-error getForUpdate needs a transaction, and getProject has none
  await store.projects.getForUpdate('ws', req.params.project_id);
  return reply;
});

// updateProject takes If-Match: it runs in one, and may lock the row and emit its own event only.
defineHandler('updateProject', ['store', 'events'], async (req, { store, events }) => {
  const project = await store.projects.getForUpdate('ws', req.params.project_id);
  await events.emit('project.updated', project!);
  // @ts-expect-error project.deleted is not in updateProject's x-events
  await events.emit('project.deleted', project!);
  return reply;
});

describe('handler types follow the contract (generated/operations.ts)', () => {
  it('TransactionalOperation names exactly the operations the pipeline runs in a transaction', () => {
    const transactional = listOperations(loadSpec()).filter((op) => op.transactional).map((op) => op.operationId);
    // The type's members, spelled out: the compiler checks this list against the generated union.
    const typed: TransactionalOperation[] = [
      'createProject', 'deleteProject', 'updateProject', 'createApiKey', 'deleteApiKey', 'rotateApiKey', 'createWebhookEndpoint',
      'deleteWebhookEndpoint', 'updateWebhookEndpoint', 'rotateWebhookSecret', 'testWebhookEndpoint', 'retryWebhookDelivery', 'recoverWebhookDeliveries',
      'switchWorkspace', 'updateMember', 'deleteMember', 'createInvitation', 'deleteInvitation', 'acceptInvitation',
    ];
    assert.deepEqual([...typed].sort(), [...transactional].sort());
  });
});
