import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

export const deleteWebhookEndpoint = defineHandler('deleteWebhookEndpoint', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  const current = await store.webhooks.getEndpoint(workspaceId, id);
  if (!current || !(await store.webhooks.deleteEndpoint(workspaceId, id))) throw errors.webhookEndpointNotFound(id);
  await events.emit('webhook_endpoint.deleted', current);
  return { status: 204 };
});
