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
    // As in listProjects: the validator lets through instants Date cannot parse (a leap second) or
    // that an offset carries past 9999-12-31 (`+010000-...`, not a contract date-time: stored, it
    // would fail every later response that shows the key). Both are a 400, never a stored key.
    const iso = Number.isNaN(at) ? '' : new Date(at).toISOString();
    if (!/^\d{4}-/.test(iso)) {
      throw errors.validationFailed([
        {
          pointer: '/body/expires_at',
          code: 'format',
          message: 'must be an instant from 0000-01-01 to 9999-12-31 UTC, without a leap second',
        },
      ]);
    }
    if (!(at > Date.now())) {
      throw errors.validationFailed([{ pointer: '/body/expires_at', code: 'in_the_past', message: 'must be in the future' }]);
    }
    expiresAt = iso;
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
