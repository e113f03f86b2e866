import { defineHandler, requirePrincipal } from '../http/operation';
import { errors } from '../errors';
import { manageableKey } from '../auth/manageableKey';

export const rotateApiKey = defineHandler('rotateApiKey', ['store', 'apiKeys'], async (req, { store, apiKeys }) => {
  const principal = requirePrincipal(req);
  const id = (await manageableKey(store, principal, req.params.key_id)).id;
  const rotated = await apiKeys.rotate(store.apiKeys, principal.workspaceId, id, req.body?.grace_period_seconds ?? 0);
  if (!rotated) throw errors.apiKeyNotFound(id);
  return {
    status: 200,
    body: { data: { ...rotated.apiKey, key: rotated.secret } },
    headers: { 'Cache-Control': 'no-store' },
  };
});
