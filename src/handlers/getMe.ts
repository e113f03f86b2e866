import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const getMe: Handler<'getMe'> = async (req, { store }) => {
  const principal = requirePrincipal(req);
  const user = store.identity.getUser(principal.userId);
  const workspace = store.identity.getWorkspace(principal.workspaceId);
  // The session check passed, so these exist unless deleted a moment ago.
  if (!user || !workspace) throw errors.invalidToken('The account of this access token no longer exists.');
  return {
    status: 200,
    body: {
      data: {
        type: 'user',
        user,
        workspace,
        role: principal.role,
        scopes: [...principal.scopes],
        memberships: store.identity.membershipsOf(user.id),
      },
    },
  };
};
