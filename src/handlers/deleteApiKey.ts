import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const deleteApiKey: Handler<'deleteApiKey'> = (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  if (!store.apiKeys.revoke(workspaceId, req.params.key_id)) throw errors.apiKeyNotFound(req.params.key_id);
  return { status: 204 };
};
