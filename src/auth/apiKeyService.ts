import type { ApiKey, ApiKeyStore, NewApiKey } from '../store/apiKeys';
import type { Principal } from './principal';
import { displayParts, generateApiKey, hashApiKey, isWellFormedApiKey } from './apiKeys';
import { errors } from '../errors';

export interface ApiKeyService {
  /** Returns the stored key and the full secret, which is never available again. */
  create(workspaceId: string, key: NewApiKey): { apiKey: ApiKey; secret: string };
  rotate(workspaceId: string, id: string, gracePeriodSeconds: number): { apiKey: ApiKey; secret: string } | undefined;
  /** Resolves an `x-api-key` value to a principal, or throws 401 `invalid_api_key`. */
  authenticate(presented: string): Principal;
}

// last_used_at is coarse on purpose: at most one write per key per minute, not one per request.
const TOUCH_INTERVAL_MS = 60_000;

export function createApiKeyService(store: ApiKeyStore, pepper: Buffer, now: () => number = Date.now): ApiKeyService {
  const secretFor = () => {
    const secret = generateApiKey('live');
    return { secret, stored: { hash: hashApiKey(secret, pepper), ...displayParts(secret) } };
  };
  return {
    create(workspaceId, key) {
      const { secret, stored } = secretFor();
      return { apiKey: store.create(workspaceId, key, stored), secret };
    },
    rotate(workspaceId, id, gracePeriodSeconds) {
      const { secret, stored } = secretFor();
      const apiKey = store.rotate(workspaceId, id, stored, new Date(now() + gracePeriodSeconds * 1000).toISOString());
      return apiKey && { apiKey, secret };
    },
    authenticate(presented) {
      // Format and checksum first: a mistyped or random string never reaches the database.
      if (!isWellFormedApiKey(presented)) throw errors.invalidApiKey('The API key is malformed.');
      // Looked up by its peppered hash, never compared as a secret: lookup timing reveals nothing
      // about the key to anyone who does not hold the pepper.
      const found = store.findBySecretHash(hashApiKey(presented, pepper));
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
        store.touch(found.id, at);
      }
      return { type: 'api_key', workspaceId: found.workspace_id, scopes: found.scopes, apiKeyId: found.id };
    },
  };
}
