import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

export const getWebhookEndpoint = defineHandler('getWebhookEndpoint', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const endpoint = await store.webhooks.getEndpoint(workspaceId, req.params.endpoint_id);
  if (!endpoint) throw errors.webhookEndpointNotFound(req.params.endpoint_id);
  return { status: 200, body: { data: endpoint } };
});
