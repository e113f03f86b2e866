import type { HandlerDeps } from '../pipeline/handler';
import type { Principal } from './principal';
import type { ApiKey } from '../store/ports';
import { lacksScopeOf } from './principal';
import { errors } from '../errors';

/**
 * The key `id` of the caller's workspace, when the caller may rotate or revoke it: 404 when there
 * is none, 403 when it holds a scope the caller lacks (the contract's rule for managing keys).
 */
export async function manageableKey(store: HandlerDeps['store'], principal: Principal, id: string): Promise<ApiKey> {
  const key = await store.apiKeys.get(principal.workspaceId, id);
  if (!key) throw errors.apiKeyNotFound(id);
  const missing = lacksScopeOf(principal, key.scopes);
  if (missing) throw errors.insufficientScope(missing, principal.type);
  return key;
}
