import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

export const getMe = defineHandler('getMe', ['store'], async (req, { store }) => {
  const principal = requirePrincipal(req);
  const [workspace, user, apiKey] = await Promise.all([
    store.identity.getWorkspace(principal.workspaceId),
    principal.userId ? store.identity.getUser(principal.userId) : undefined,
    principal.apiKeyId ? store.apiKeys.get(principal.workspaceId, principal.apiKeyId) : undefined,
  ]);
  const memberships = user ? await store.identity.membershipsOf(user.id) : undefined;
  // Authentication just passed, so these exist unless deleted a moment ago.
  if (!workspace || (principal.userId && !user) || (principal.apiKeyId && !apiKey)) {
    throw errors.invalidToken('The credential no longer matches an account.');
  }
  return {
    status: 200,
    body: {
      data: {
        type: principal.type,
        ...(user && memberships && { user, memberships }),
        ...(principal.role && { role: principal.role }),
        ...(apiKey && { api_key: apiKey }),
        workspace,
        scopes: [...principal.scopes],
      },
    },
  };
});
