import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

export const getApiKey = defineHandler('getApiKey', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const apiKey = await store.apiKeys.get(workspaceId, req.params.key_id);
  if (!apiKey) throw errors.apiKeyNotFound(req.params.key_id);
  return { status: 200, body: { data: apiKey } };
});
