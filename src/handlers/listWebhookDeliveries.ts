import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { keysetPage } from '../http/pagination';
import { errors } from '../errors';

export const listWebhookDeliveries = defineHandler('listWebhookDeliveries', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  if (!(await store.webhooks.getEndpoint(workspaceId, id))) throw errors.webhookEndpointNotFound(id);
  const { status } = req.query;
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: `/v1/webhook-endpoints/${id}/deliveries`,
    query: req.query,
    scope: ['webhook-deliveries', workspaceId, id, status],
    fetch: (after, limit) => store.webhooks.listDeliveries(workspaceId, id, status, after, limit),
  });
  return { status: 200, ...page };
});
