import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { lacksScopeOf, principalId } from '../auth/principal';
import { errors } from '../errors';
import { storedInstant } from '../http/instants';

export const createApiKey = defineHandler('createApiKey', ['store', 'apiKeys', 'events'], async (req, { store, apiKeys, events }) => {
  const principal = requirePrincipal(req);
  const { name, scopes, expires_at } = req.body;
  const missing = lacksScopeOf(principal, scopes);
  if (missing) throw errors.insufficientScope(missing, principal.type);
  let expiresAt: string | null = null;
  if (expires_at !== undefined) {
    expiresAt = storedInstant(expires_at, '/body/expires_at');
    if (!(Date.parse(expiresAt) > Date.now())) {
      throw errors.validationFailed([{ pointer: '/body/expires_at', code: 'in_the_past', message: 'must be in the future' }]);
    }
  }
  const { apiKey, secret } = await apiKeys.create(store.apiKeys, principal.workspaceId, {
    name,
    scopes,
    expiresAt,
    createdBy: principalId(principal),
  });
  await events.emit('api_key.created', apiKey);
  return {
    status: 201,
    body: { data: { ...apiKey, key: secret } },
    headers: { Location: `/v1/api-keys/${apiKey.id}`, 'Cache-Control': 'no-store' },
  };
});
