import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const getApiKey: Handler<'getApiKey'> = (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const apiKey = store.apiKeys.get(workspaceId, req.params.key_id);
  if (!apiKey) throw errors.apiKeyNotFound(req.params.key_id);
  return { status: 200, body: { data: apiKey } };
};
