import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { keysetPage } from '../http/pagination';

export const listMembers = defineHandler('listMembers', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const { role } = req.query;
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/members',
    query: req.query,
    scope: ['members', workspaceId, role ?? null],
    fetch: (after, limit) => store.identity.listMembers(workspaceId, role, after, limit),
    positionOf: (member) => ({ created_at: member.joined_at, id: member.user_id }),
  });
  return { status: 200, ...page };
});
