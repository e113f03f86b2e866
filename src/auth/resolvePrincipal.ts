import type { IncomingHttpHeaders } from 'node:http';
import type { AuthService } from './authService';
import type { ApiKeyService } from './apiKeyService';
import type { Principal } from './principal';
import { errors } from '../errors';

export type PrincipalResolver = (headers: IncomingHttpHeaders) => Promise<Principal>;

/**
 * The API key of `Authorization: Bearer cp_live_...` (or `cp_test_`): told from an access token
 * (a JWT) by its prefix alone, before any lookup; the key's checksum is checked as in x-api-key.
 */
export function apiKeyAsBearer(authorization: string | undefined): string | undefined {
  return /^bearer +(cp_(?:live|test)_\S*)\s*$/i.exec(authorization ?? '')?.[1];
}

/**
 * Authorization: Bearer and x-api-key, alone or together. Together, both must be valid and of the
 * same workspace, and the request gets only the scopes both hold.
 */
export function createPrincipalResolver(auth: AuthService, apiKeys: ApiKeyService): PrincipalResolver {
  return async (headers) => {
    const bearerKey = apiKeyAsBearer(headers.authorization);
    const headerKey = headers['x-api-key'];
    // An API key sent as a bearer token is the same credential as in x-api-key; sent in both, it
    // must be the same key (two keys would be two principals with no rule to choose between them).
    if (bearerKey !== undefined && headerKey !== undefined && headerKey !== bearerKey) {
      throw errors.invalidApiKey('The request carries two different API keys (x-api-key and Authorization: Bearer).');
    }
    const authorization = bearerKey === undefined ? headers.authorization : undefined;
    const key = bearerKey ?? headerKey;
    if (!authorization && key === undefined) throw errors.unauthenticated();
    // One after the other: a request refused for its token never touches the key's last use.
    const user = authorization ? await auth.authenticateBearer(authorization) : undefined;
    const service = key !== undefined ? await apiKeys.authenticate(Array.isArray(key) ? key.join(',') : key) : undefined;
    if (user && service) {
      if (user.workspaceId !== service.workspaceId) {
        throw errors.invalidApiKey('The API key and the access token belong to different workspaces.');
      }
      return {
        ...service,
        userId: user.userId,
        role: user.role,
        sessionId: user.sessionId,
        scopes: service.scopes.filter((s) => user.scopes.includes(s)),
      };
    }
    return (user ?? service)!;
  };
}
