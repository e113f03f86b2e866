import type { Async, ApiKey, ApiKeyStore, NewApiKey } from '../store/ports';
import type { Principal } from './principal';
import { displayParts, generateApiKey, hashApiKey, isWellFormedApiKey } from './apiKeys';
import { errors } from '../errors';

type Keys = Async<ApiKeyStore>;

export interface ApiKeyService {
  /**
   * Returns the stored key and the full secret, which is never available again. `keys` is the
   * aggregate to write to: the caller's transaction's, when the write is idempotent.
   */
  create(keys: Keys, workspaceId: string, key: NewApiKey): Promise<{ apiKey: ApiKey; secret: string }>;
  rotate(keys: Keys, workspaceId: string, id: string, gracePeriodSeconds: number): Promise<{ apiKey: ApiKey; secret: string } | undefined>;
  /** Resolves an `x-api-key` value to a principal, or rejects with 401 `invalid_api_key`. */
  authenticate(presented: string): Promise<Principal>;
}

// last_used_at is coarse on purpose: at most one write per key per minute, not one per request.
const TOUCH_INTERVAL_MS = 60_000;

export function createApiKeyService(store: Keys, pepper: Buffer, now: () => number = Date.now): ApiKeyService {
  const secretFor = () => {
    const secret = generateApiKey('live');
    return { secret, stored: { hash: hashApiKey(secret, pepper), ...displayParts(secret) } };
  };
  return {
    async create(keys, workspaceId, key) {
      const { secret, stored } = secretFor();
      return { apiKey: await keys.create(workspaceId, key, stored), secret };
    },
    async rotate(keys, workspaceId, id, gracePeriodSeconds) {
      const { secret, stored } = secretFor();
      const apiKey = await keys.rotate(workspaceId, id, stored, new Date(now() + gracePeriodSeconds * 1000).toISOString());
      return apiKey && { apiKey, secret };
    },
    async authenticate(presented) {
      // Format and checksum first: a mistyped or random string never reaches the database.
      if (!isWellFormedApiKey(presented)) throw errors.invalidApiKey('The API key is malformed.');
      // Looked up by its peppered hash, never compared as a secret: lookup timing reveals nothing
      // about the key to anyone who does not hold the pepper.
      const found = await store.findBySecretHash(hashApiKey(presented, pepper));
      const at = new Date(now()).toISOString();
      if (
        !found ||
        found.revoked_at !== null ||
        (found.expires_at !== null && found.expires_at <= at) ||
        (found.secret_expires_at !== null && found.secret_expires_at <= at)
      ) {
        throw errors.invalidApiKey('The API key is not valid: unknown, revoked, rotated or expired.');
      }
      if (found.last_used_at === null || Date.parse(found.last_used_at) <= now() - TOUCH_INTERVAL_MS) {
        await store.touch(found.id, at);
      }
      return { type: 'api_key', workspaceId: found.workspace_id, scopes: found.scopes, apiKeyId: found.id };
    },
  };
}
