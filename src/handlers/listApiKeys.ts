import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { keysetPage } from '../http/pagination';

export const listApiKeys: Handler<'listApiKeys'> = async (req, { store, cursors, config }) => {
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
};
