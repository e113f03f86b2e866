import type { ApiKey, ApiKeyCredential, ApiKeyStore, Async } from '../ports';
import { query, type Queryable } from './db';
import type { Scope } from '../../auth/scopes';
import { newId } from '../../ids';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';
import { apiKeyTag, type AuthCache } from './authCache';

const COLUMNS = 'id, name, scopes, prefix, last4, created_at, expires_at, last_used_at, rotated_at';

const toApiKey = (r: Omit<ApiKey, 'scopes'> & { scopes: string }): ApiKey => ({ ...r, scopes: r.scopes.split(' ') as Scope[] });

/**
 * API keys on PostgreSQL. `transaction` runs several statements on one connection atomically;
 * it is given by the store that owns transactions (one per engine). Credentials are read through
 * `cache`, which a revocation or rotation invalidates.
 */
export function createPgApiKeyStore(
  db: Queryable,
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  cache: AuthCache,
): Async<ApiKeyStore> {
  return {
    async create(workspaceId, key, secret) {
      const now = new Date().toISOString();
      const id = newId('key');
      const scopes = key.scopes.join(' ');
      await transaction(async (tx) => {
        await query(tx,
          `INSERT INTO api_keys (id, workspace_id, name, scopes, prefix, last4, created_by, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [id, workspaceId, key.name, scopes, secret.prefix, secret.last4, key.createdBy, now, key.expiresAt],
        );
        await query(tx, 'INSERT INTO api_key_secrets (secret_hash, key_id, created_at) VALUES ($1, $2, $3)', [secret.hash, id, now]);
      });
      return toApiKey({
        id,
        name: key.name,
        scopes,
        prefix: secret.prefix,
        last4: secret.last4,
        created_at: now,
        expires_at: key.expiresAt,
        last_used_at: null,
        rotated_at: null,
      });
    },
    async get(workspaceId, id) {
      const { rows } = await query(db,
        `SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL`,
        [workspaceId, id],
      );
      return rows[0] && toApiKey(rows[0]);
    },
    async list(workspaceId, after, limit) {
      const values: unknown[] = [workspaceId];
      const where = ['workspace_id = $1', 'revoked_at IS NULL', ...(after ? [afterPosition(after, values)] : [])];
      values.push(limit);
      const { rows } = await query(db,
        `SELECT ${COLUMNS} FROM api_keys WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT $${values.length}`,
        values,
      );
      return rows.map(toApiKey);
    },
    rotate: (workspaceId, id, secret, previousValidUntil) =>
      transaction(async (tx) => {
        const now = new Date().toISOString();
        const { rows } = await query(tx,
          `UPDATE api_keys SET prefix = $1, last4 = $2, rotated_at = $3
           WHERE workspace_id = $4 AND id = $5 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
          [secret.prefix, secret.last4, now, workspaceId, id],
        );
        if (!rows[0]) return undefined;
        await query(tx,
          'UPDATE api_key_secrets SET expires_at = $1 WHERE key_id = $2 AND (expires_at IS NULL OR expires_at > $1)',
          [previousValidUntil, id],
        );
        await query(tx, 'INSERT INTO api_key_secrets (secret_hash, key_id, created_at) VALUES ($1, $2, $3)', [secret.hash, id, now]);
        // The previous secret now expires: remembered credentials of this key are out of date.
        await cache.changed(tx, apiKeyTag(id));
        return toApiKey(rows[0]);
      }),
    revoke: (workspaceId, id) =>
      transaction(async (tx) => {
        const { rowCount } = await query(tx, 'UPDATE api_keys SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND revoked_at IS NULL', [
          new Date().toISOString(),
          workspaceId,
          id,
        ]);
        if (rowCount !== 1) return false;
        await cache.changed(tx, apiKeyTag(id));
        return true;
      }),
    async findBySecretHash(hash) {
      const load = async () =>
        (
          await query<Omit<ApiKeyCredential, 'scopes'> & { scopes: string }>(
            db,
            `SELECT k.id, k.workspace_id, k.scopes, k.expires_at, k.revoked_at, k.last_used_at, s.expires_at AS secret_expires_at
             FROM api_key_secrets s JOIN api_keys k ON k.id = s.key_id WHERE s.secret_hash = $1`,
            [hash],
          )
        ).rows.map((row) => ({ ...row, scopes: row.scopes.split(' ') as Scope[] }))[0];
      return cache.through(db, `key:${hash.toString('base64')}`, load, (k) => [apiKeyTag(k.id)]);
    },
    async touch(id, at) {
      await query(db, 'UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [at, id]);
      // Only here: other instances keep their older last_used_at, and touch at most once a minute each.
      cache.forget(apiKeyTag(id));
    },
  };
}
