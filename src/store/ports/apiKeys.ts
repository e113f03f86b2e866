import type { components } from '../../../generated/openapi';
import type { Scope } from '../../auth/scopes';
import type { KeysetPosition } from './keyset';

// The contract's scopes are an open enum (later versions may add some); a stored key holds ones this version knows.
export type ApiKey = Omit<components['schemas']['ApiKey'], 'scopes'> & { scopes: Scope[] };

export interface NewApiKey {
  name: string;
  scopes: readonly Scope[];
  expiresAt: string | null;
  createdBy: string;
}

export interface KeySecret {
  hash: Buffer;
  prefix: string;
  last4: string;
}

/** What authentication needs to know about a presented key. */
export interface ApiKeyCredential {
  id: string;
  workspace_id: string;
  scopes: Scope[];
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  /** Set on a secret that was rotated away: the end of its grace period. */
  secret_expires_at: string | null;
}

export interface ApiKeyStore {
  create(workspaceId: string, key: NewApiKey, secret: KeySecret): ApiKey;
  /** Revoked keys are gone for the API: undefined. */
  get(workspaceId: string, id: string): ApiKey | undefined;
  list(workspaceId: string, after: KeysetPosition | undefined, limit: number): ApiKey[];
  /** Adds the new secret; earlier secrets stop working at `previousValidUntil`. */
  rotate(workspaceId: string, id: string, secret: KeySecret, previousValidUntil: string): ApiKey | undefined;
  revoke(workspaceId: string, id: string): boolean;
  findBySecretHash(hash: Buffer): ApiKeyCredential | undefined;
  touch(id: string, at: string): void;
}
