import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { enabledEndpoint } from '../webhooks/enabledEndpoint';
import { errors } from '../errors';

export const retryWebhookDelivery = defineHandler('retryWebhookDelivery', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const { endpoint_id: endpointId, delivery_id: id } = req.params;
  await enabledEndpoint(store, workspaceId, endpointId);
  const delivery = await store.webhooks.retryDelivery(workspaceId, endpointId, id, new Date().toISOString());
  if (!delivery) throw errors.deliveryNotFound(id);
  events.queued();
  return { status: 202, body: { data: delivery } };
});
