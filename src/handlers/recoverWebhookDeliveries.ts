import { defineHandler, requirePrincipal } from '../http/operation';
import { storedInstant } from '../http/instants';
import { errors } from '../errors';

export const recoverWebhookDeliveries = defineHandler('recoverWebhookDeliveries', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  const endpoint = await store.webhooks.getEndpoint(workspaceId, id);
  if (!endpoint) throw errors.webhookEndpointNotFound(id);
  if (endpoint.status !== 'enabled') throw errors.endpointDisabled(id);
  const since = storedInstant(req.body.since, '/body/since');
  const requeued = await store.webhooks.recoverDeliveries(workspaceId, id, since, new Date().toISOString());
  if (requeued) events.queued();
  return { status: 202, body: { data: { requeued } } };
});
