import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';
import { manageableKey } from '../auth/manageableKey';

export const deleteApiKey = defineHandler('deleteApiKey', ['store', 'events'], async (req, { store, events }) => {
  const principal = requirePrincipal(req);
  const key = await manageableKey(store, principal, req.params.key_id);
  if (!(await store.apiKeys.revoke(principal.workspaceId, key.id))) throw errors.apiKeyNotFound(key.id);
  await events.emit('api_key.revoked', key);
  return { status: 204 };
});
