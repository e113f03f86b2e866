import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { keysetPage } from '../http/pagination';

export const listInvitations = defineHandler('listInvitations', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const now = new Date().toISOString();
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/invitations',
    query: req.query,
    scope: ['invitations', workspaceId],
    fetch: (after, limit) => store.invitations.listPending(workspaceId, now, after, limit),
  });
  return { status: 200, ...page };
});
