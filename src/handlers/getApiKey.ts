import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const getApiKey: Handler<'getApiKey'> = async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const apiKey = await store.apiKeys.get(workspaceId, req.params.key_id);
  if (!apiKey) throw errors.apiKeyNotFound(req.params.key_id);
  return { status: 200, body: { data: apiKey } };
};
