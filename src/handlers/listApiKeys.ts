import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { keysetPage } from '../http/pagination';

export const listApiKeys = defineHandler('listApiKeys', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/api-keys',
    query: req.query,
    scope: ['api-keys', workspaceId],
    fetch: (after, limit) => store.apiKeys.list(workspaceId, after, limit),
  });
  return { status: 200, ...page };
});
