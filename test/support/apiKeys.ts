import type { components } from '../../generated/openapi';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { expectError, signedIn, type TestApp } from '../helpers';
import type { Scope } from '../../src/auth/scopes';
import type { AsyncStore as Store } from '../../src/store/ports';
import { failingMethod } from './storeHooks';
import { ISO_MS } from './projects';

export const KEY_FORMAT = /^cp_(live|test)_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$/;
export const KEY_ID = /^key_[0-9A-HJKMNP-TV-Z]{26}$/;
/** A well-formed key id that no key has. */
export const UNKNOWN_KEY_ID = 'key_01JD3Y8N6V4Q2X7R5T9W1K3M5T';
export const API_KEY_FIELDS = [
  'created_at',
  'expires_at',
  'id',
  'last4',
  'last_used_at',
  'name',
  'prefix',
  'rotated_at',
  'scopes',
];
export const ALL_SCOPES: Scope[] = ['projects:read', 'projects:write', 'usage:read', 'keys:write', 'webhooks:read', 'webhooks:write', 'members:read', 'members:write'];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Credentials for supertest's `.set(...)`. */
export type Cred = Record<string, string>;
export const bearer = (auth: string): Cred => ({ Authorization: auth });
export const apiKey = (key: string): Cred => ({ 'x-api-key': key });

/** An API key as the contract shows it outside creation and rotation: no `key`. */
export function assertApiKeyShape(k: Record<string, any>): void {
  assert.deepEqual(Object.keys(k).sort(), API_KEY_FIELDS);
  assert.match(k.id, KEY_ID);
  assert.equal(typeof k.name, 'string');
  assert.ok(Array.isArray(k.scopes) && k.scopes.length > 0);
  assert.match(k.prefix, /^cp_(live|test)_[0-9A-Za-z]{4}$/);
  assert.match(k.last4, /^[0-9A-Za-z]{4}$/);
  assert.match(k.created_at, ISO_MS);
  for (const f of ['expires_at', 'last_used_at', 'rotated_at']) assert.ok(k[f] === null || ISO_MS.test(k[f]), f);
}

/** The listed parts of a full key: its first 12 and last 4 characters. */
export function assertShows(k: { prefix: string; last4: string }, fullKey: string): void {
  assert.equal(k.prefix, fullKey.slice(0, 12));
  assert.equal(k.last4, fullKey.slice(-4));
}

export type CreatedKey = components['schemas']['ApiKeyCreated'];

/** POST /v1/api-keys, asserting 201; returns `data` (with the full `key`). */
export async function createKeyHttp(
  t: TestApp,
  cred: Cred,
  body: { name?: string; scopes?: Scope[]; expires_at?: string } = {},
): Promise<CreatedKey> {
  const res = await t.http
    .post('/v1/api-keys')
    .set(cred)
    .send({ name: 'test key', scopes: ALL_SCOPES, ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

/** POST /v1/api-keys with `cred` and `body` as given: no defaults, no assertion. */
export const post = (t: TestApp, cred: Cred, body: unknown) => t.http.post('/v1/api-keys').set(cred).send(body as object);

/** GET /v1/me with `headers` (an array value sends the header once per value). */
export const me = (t: TestApp, headers: Record<string, string | string[]>) => {
  let req = t.http.get('/v1/me');
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value as string);
  return req;
};

/** An owner (every scope), signed in, with a key of `scopes` in their workspace. */
export async function ownerWithKey(t: TestApp, scopes: Scope[] = ALL_SCOPES, opts: Parameters<typeof signedIn>[1] = {}) {
  const owner = await signedIn(t, opts);
  const created = await createKeyHttp(t, bearer(owner.auth), { name: `key ${scopes.join(' ')}`.slice(0, 100), scopes });
  return { owner, created, key: created.key, keyCred: apiKey(created.key) };
}

/** The same key with one character of its random body changed: well-formed shape, wrong checksum. */
export function tamper(key: string): string {
  const at = 8 + randomInt(32);
  let replacement = key[at];
  while (replacement === key[at]) replacement = BASE62[randomInt(62)];
  const out = key.slice(0, at) + replacement + key.slice(at + 1);
  assert.match(out, KEY_FORMAT);
  assert.notEqual(out, key);
  return out;
}

/** 401 invalid_api_key with an ApiKey challenge. */
export function expectInvalidApiKey(res: Parameters<typeof expectError>[0], message?: string | RegExp) {
  const err = expectError(res, 401, 'invalid_api_key');
  const challenge = res.headers['www-authenticate'] ?? '';
  assert.match(challenge, /ApiKey realm="cloud-api"/, `WWW-Authenticate: ${challenge}`);
  assert.match(challenge, /error="/, `WWW-Authenticate names the error: ${challenge}`);
  assert.equal(res.body.data, undefined);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
  return err;
}

/** 403 insufficient_scope naming `scope` in the message and the details. */
export function expectInsufficientScope(res: Parameters<typeof expectError>[0], scope: string) {
  const err = expectError(res, 403, 'insufficient_scope');
  assert.ok(err.message.includes(`'${scope}'`), `message names ${scope}: ${err.message}`);
  assert.deepEqual(err.details, [{ field: 'scope', code: 'missing_scope', message: scope }]);
  assert.ok(res.headers['www-authenticate'], 'a 403 carries a challenge');
  assert.match(res.headers['www-authenticate'], new RegExp(`scope="${scope}"`));
  return err;
}

/** Counts the calls of `store.apiKeys[method]`, patched on the object the service holds. */
export function spyOn<K extends 'findBySecretHash' | 'touch'>(t: TestApp, method: K) {
  const target = t.store.apiKeys;
  const original = target[method];
  const spy = { calls: 0, restore: () => (target[method] = original) };
  target[method] = ((...args: unknown[]) => {
    spy.calls += 1;
    return (original as (...a: unknown[]) => unknown).apply(target, args);
  }) as (typeof target)[K];
  return spy;
}

/** Every documented key operation, as [name, request builder]; ids of an existing key. */
export function keyOperations(t: TestApp, keyId: string) {
  return [
    ['listApiKeys', () => t.http.get('/v1/api-keys')],
    ['createApiKey', () => t.http.post('/v1/api-keys').send({ name: 'x', scopes: ['projects:read'] })],
    ['getApiKey', () => t.http.get(`/v1/api-keys/${keyId}`)],
    ['rotateApiKey', () => t.http.post(`/v1/api-keys/${keyId}/rotate`).send({})],
    ['deleteApiKey', () => t.http.delete(`/v1/api-keys/${keyId}`)],
  ] as const;
}

/** For makeAppWith: the real store, except that `method` of the API key store throws `new Error(message)`. */
export function failingApiKeys(method: keyof Store['apiKeys'], message = 'secret internal detail') {
  return failingMethod('apiKeys', method, message);
}

/** 500 internal_error that reveals nothing of the failure; the log keeps it. */
export function expectInternalError(t: TestApp, res: Parameters<typeof expectError>[0], message = 'secret internal detail') {
  const err = expectError(res, 500, 'internal_error');
  assert.equal(err.message, 'An unexpected error occurred.');
  assert.deepEqual(err.details, []);
  assert.ok(!JSON.stringify(res.body).includes(message), 'no internals in the response');
  assert.ok(t.rawLog().includes(message), 'the log keeps the cause');
  return err;
}
