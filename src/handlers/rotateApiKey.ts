import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { lacksScopeOf } from '../auth/principal';
import { errors } from '../errors';

export const rotateApiKey: Handler<'rotateApiKey'> = (req, { store, apiKeys }) => {
  const principal = requirePrincipal(req);
  const id = req.params.key_id;
  const current = store.apiKeys.get(principal.workspaceId, id);
  if (!current) throw errors.apiKeyNotFound(id);
  const missing = lacksScopeOf(principal, current.scopes);
  if (missing) throw errors.insufficientScope(missing, principal.type);
  const rotated = apiKeys.rotate(principal.workspaceId, id, req.body?.grace_period_seconds ?? 0);
  if (!rotated) throw errors.apiKeyNotFound(id);
  return {
    status: 200,
    body: { data: { ...rotated.apiKey, key: rotated.secret } },
    headers: { 'Cache-Control': 'no-store' },
  };
};
