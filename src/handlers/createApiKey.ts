import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { principalId } from '../auth/principal';
import { errors } from '../errors';

export const createApiKey: Handler<'createApiKey'> = (req, { apiKeys }) => {
  const principal = requirePrincipal(req);
  const { name, scopes, expires_at } = req.body;
  // No escalation: a credential can hand out only what it holds.
  const missing = scopes.find((s) => !principal.scopes.includes(s));
  if (missing) throw errors.insufficientScope(missing);
  let expiresAt: string | null = null;
  if (expires_at !== undefined) {
    const at = Date.parse(expires_at);
    if (!(at > Date.now())) {
      throw errors.validationFailed([{ pointer: '/body/expires_at', code: 'in_the_past', message: 'must be in the future' }]);
    }
    expiresAt = new Date(at).toISOString();
  }
  const { apiKey, secret } = apiKeys.create(principal.workspaceId, {
    name,
    scopes,
    expiresAt,
    createdBy: principalId(principal),
  });
  return {
    status: 201,
    body: { data: { ...apiKey, key: secret } },
    headers: { Location: `/v1/api-keys/${apiKey.id}`, 'Cache-Control': 'no-store' },
  };
};
