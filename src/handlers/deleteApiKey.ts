import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { lacksScopeOf } from '../auth/principal';
import { errors } from '../errors';

export const deleteApiKey: Handler<'deleteApiKey'> = (req, { store }) => {
  const principal = requirePrincipal(req);
  const id = req.params.key_id;
  const current = store.apiKeys.get(principal.workspaceId, id);
  if (!current) throw errors.apiKeyNotFound(id);
  const missing = lacksScopeOf(principal, current.scopes);
  if (missing) throw errors.insufficientScope(missing, principal.type);
  if (!store.apiKeys.revoke(principal.workspaceId, id)) throw errors.apiKeyNotFound(id);
  return { status: 204 };
};
