import type { IncomingHttpHeaders } from 'node:http';
import type { AuthService } from './authService';
import type { ApiKeyService } from './apiKeyService';
import type { Principal } from './principal';
import { errors } from '../errors';

export type PrincipalResolver = (headers: IncomingHttpHeaders) => Promise<Principal>;

/**
 * Authorization: Bearer and x-api-key, alone or together. Together, both must be valid and of the
 * same workspace, and the request gets only the scopes both hold.
 */
export function createPrincipalResolver(auth: AuthService, apiKeys: ApiKeyService): PrincipalResolver {
  return async (headers) => {
    const authorization = headers.authorization;
    const key = headers['x-api-key'];
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
