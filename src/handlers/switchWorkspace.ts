import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

// The access token vouches for the user (the operation takes a bearer token only); a workspace
// they are not a member of looks the same whether it exists or not.
export const switchWorkspace = defineHandler('switchWorkspace', ['store', 'auth'], async (req, { store, auth }) => {
  const { userId } = requirePrincipal(req);
  const target = req.body.workspace_id;
  const membership = userId ? (await store.identity.membershipsOf(userId)).find((m) => m.workspace_id === target) : undefined;
  if (!userId || !membership) throw errors.workspaceNotFound(target);
  const tokens = await auth.startSession(store, userId, target, membership.role);
  return { status: 200, body: { data: tokens }, headers: { 'Cache-Control': 'no-store' } };
});
