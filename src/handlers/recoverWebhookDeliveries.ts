import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { enabledEndpoint } from '../webhooks/enabledEndpoint';
import { storedInstant } from '../http/instants';

export const recoverWebhookDeliveries = defineHandler('recoverWebhookDeliveries', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  await enabledEndpoint(store, workspaceId, id);
  const since = storedInstant(req.body.since, '/body/since');
  const requeued = await store.webhooks.recoverDeliveries(workspaceId, id, since, new Date().toISOString());
  if (requeued) events.queued();
  return { status: 202, body: { data: { requeued } } };
});
