import type { ApiPromise } from '../apiPromise.js';
import { Paginator } from '../pagination.js';
import type { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyRotate, CallOptions, ListApiKeysQuery, WriteOptions } from '../types.js';
import { body, done, idempotency, unwrap, type Context } from './base.js';

/** API keys of the workspace. The full key is in `key` of create and rotate only: store it then. */
export class ApiKeys {
  constructor(private readonly ctx: Context) {}

  list(query: ListApiKeysQuery = {}, options?: CallOptions): Paginator<ApiKey> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return body(this.ctx.api.GET('/api-keys', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  create(key: ApiKeyCreate, options?: WriteOptions): ApiPromise<ApiKeyCreated> {
    const params = { header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/api-keys', { params, body: key, fetch: this.ctx.fetch(options) }));
  }

  get(keyId: string, options?: CallOptions): ApiPromise<ApiKey> {
    const params = { path: { key_id: keyId } };
    return unwrap(this.ctx.api.GET('/api-keys/{key_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Revokes the key: it stops working at once. */
  delete(keyId: string, options?: CallOptions): ApiPromise<void> {
    const params = { path: { key_id: keyId } };
    return done(this.ctx.api.DELETE('/api-keys/{key_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** A new secret for the key; the old one works for `grace_period_seconds` more (default 0). */
  rotate(keyId: string, rotation?: ApiKeyRotate, options?: WriteOptions): ApiPromise<ApiKeyCreated> {
    const params = { path: { key_id: keyId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/api-keys/{key_id}/rotate', { params, body: rotation, fetch: this.ctx.fetch(options) }));
  }
}
