import { defineHandler, requirePrincipal } from '../http/operation';
import { errors } from '../errors';
import { manageableKey } from '../auth/manageableKey';

export const deleteApiKey = defineHandler('deleteApiKey', ['store'], async (req, { store }) => {
  const principal = requirePrincipal(req);
  const id = (await manageableKey(store, principal, req.params.key_id)).id;
  if (!(await store.apiKeys.revoke(principal.workspaceId, id))) throw errors.apiKeyNotFound(id);
  return { status: 204 };
});
