import type { ApiKey, ApiKeyCredential, ApiKeyStore } from '../ports';
import type { Db } from './db';
import type { Scope } from '../../auth/scopes';
import { newId } from '../../ids';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams } from './keyset';

interface Row {
  id: string;
  name: string;
  scopes: string;
  prefix: string;
  last4: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  rotated_at: string | null;
}

const COLUMNS = 'id, name, scopes, prefix, last4, created_at, expires_at, last_used_at, rotated_at';

const toApiKey = (r: Row): ApiKey => ({ ...r, scopes: r.scopes.split(' ') as Scope[] });

export function createApiKeyStore(db: Db): ApiKeyStore {
  const insertKey = db.prepare(`INSERT INTO api_keys
    (id, workspace_id, name, scopes, prefix, last4, created_by, created_at, expires_at)
    VALUES (@id, @workspace_id, @name, @scopes, @prefix, @last4, @created_by, @created_at, @expires_at)`);
  const insertSecret = db.prepare(
    'INSERT INTO api_key_secrets (secret_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, NULL)',
  );
  const select = db.prepare(
    `SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL`,
  );
  const firstPage = db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = @workspaceId AND revoked_at IS NULL
    ${ORDER_NEWEST_FIRST} LIMIT @limit`);
  const nextPage = db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = @workspaceId AND revoked_at IS NULL
    AND ${AFTER_POSITION} ${ORDER_NEWEST_FIRST} LIMIT @limit`);
  const expireSecrets = db.prepare(`UPDATE api_key_secrets SET expires_at = ?
    WHERE key_id = ? AND (expires_at IS NULL OR expires_at > ?)`);
  const markRotated = db.prepare(`UPDATE api_keys SET prefix = ?, last4 = ?, rotated_at = ?
    WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`);
  const revoke = db.prepare(
    'UPDATE api_keys SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL',
  );
  const findByHash = db.prepare(`SELECT k.id, k.workspace_id, k.scopes, k.expires_at, k.revoked_at, k.last_used_at,
      s.expires_at AS secret_expires_at
    FROM api_key_secrets s JOIN api_keys k ON k.id = s.key_id WHERE s.secret_hash = ?`);
  const touch = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');

  return {
    create(workspaceId, key, secret) {
      const row = {
        id: newId('key'),
        workspace_id: workspaceId,
        name: key.name,
        scopes: key.scopes.join(' '),
        prefix: secret.prefix,
        last4: secret.last4,
        created_by: key.createdBy,
        created_at: new Date().toISOString(),
        expires_at: key.expiresAt,
      };
      db.transaction(() => {
        insertKey.run(row);
        insertSecret.run(secret.hash, row.id, row.created_at);
      })();
      return toApiKey({
        id: row.id,
        name: row.name,
        scopes: row.scopes,
        prefix: row.prefix,
        last4: row.last4,
        created_at: row.created_at,
        expires_at: row.expires_at,
        last_used_at: null,
        rotated_at: null,
      });
    },
    get(workspaceId, id) {
      const row = select.get(workspaceId, id) as Row | undefined;
      return row && toApiKey(row);
    },
    list(workspaceId, after, limit) {
      const rows = after
        ? nextPage.all({ workspaceId, limit, ...positionParams(after) })
        : firstPage.all({ workspaceId, limit });
      return (rows as Row[]).map(toApiKey);
    },
    rotate(workspaceId, id, secret, previousValidUntil) {
      return db.transaction(() => {
        const now = new Date().toISOString();
        const row = markRotated.get(secret.prefix, secret.last4, now, workspaceId, id) as Row | undefined;
        if (!row) return undefined;
        expireSecrets.run(previousValidUntil, id, previousValidUntil);
        insertSecret.run(secret.hash, id, now);
        return toApiKey(row);
      })();
    },
    revoke: (workspaceId, id) => revoke.run(new Date().toISOString(), workspaceId, id).changes === 1,
    findBySecretHash(hash) {
      const row = findByHash.get(hash) as (Omit<ApiKeyCredential, 'scopes'> & { scopes: string }) | undefined;
      return row && { ...row, scopes: row.scopes.split(' ') as Scope[] };
    },
    touch(id, at) {
      touch.run(at, id);
    },
  };
}
