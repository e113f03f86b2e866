import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';
import { manageableKey } from '../auth/manageableKey';

export const rotateApiKey = defineHandler('rotateApiKey', ['store', 'apiKeys', 'events'], async (req, { store, apiKeys, events }) => {
  const principal = requirePrincipal(req);
  const before = await manageableKey(store, principal, req.params.key_id);
  const rotated = await apiKeys.rotate(store.apiKeys, principal.workspaceId, before.id, req.body?.grace_period_seconds ?? 0);
  if (!rotated) throw errors.apiKeyNotFound(before.id);
  const { prefix, last4, rotated_at } = before;
  await events.emit('api_key.rotated', rotated.apiKey, { prefix, last4, rotated_at });
  return {
    status: 200,
    body: { data: { ...rotated.apiKey, key: rotated.secret } },
    headers: { 'Cache-Control': 'no-store' },
  };
});
