import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { keysetPage } from '../http/pagination';

export const listWebhookEndpoints = defineHandler('listWebhookEndpoints', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/webhook-endpoints',
    query: req.query,
    scope: ['webhook-endpoints', workspaceId],
    fetch: (after, limit) => store.webhooks.listEndpoints(workspaceId, after, limit),
  });
  return { status: 200, ...page };
});
