import assert from 'node:assert/strict';
import { login, signedIn, type TestApp } from '../../helpers';
import { apiKey, bearer, createKeyHttp } from '../apiKeys';
import { createProjectHttp } from '../projects';
import { createEndpointHttp, RECEIVER_URL } from '../webhooks';
import { encodeLoose, type WireRequest, type WireResponse } from './client';
import type { FuzzRequest } from './requests';
import { ANY_ID, ID_KINDS, Ref, resolveRefs, type RefKind } from './refs';

/**
 * Test apps for the fuzzer: webhook endpoints on loopback may be created (nothing delivers in a
 * test app); warnings and errors logged (a 500's cause), not a debug line per request.
 */
export const FUZZ_ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn' };
const OWNER = { email: 'fuzz-owner@example.com', password: 'fuzz owner password, long enough', workspace: 'Fuzz owner' };
const OTHER = { email: 'fuzz-other@example.com', password: 'fuzz other password, long enough', workspace: 'Fuzz other' };
/** Header values Node's client sends; the fuzzer's hostile ones beyond this are the raw-socket tests' business. */
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/;
const FALLBACK_ID: Record<string, string> = Object.fromEntries(Object.entries(ID_KINDS).map(([prefix, kind]) => [kind, `${prefix}_${'0'.repeat(26)}`]));
const BAD_BEARERS = ['Bearer not.a.jwt', 'Bearer ', 'Basic Zm9vOmJhcg==', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'bearer  x'];
const BAD_KEYS = ['cp_live_notakey', 'cp_live_' + '0'.repeat(38), 'cp_test_' + 'A'.repeat(38), '', 'x'.repeat(300)];

/**
 * The state generated requests act on, made the same way in every app: an owner (bearer and keys
 * of every scope and of `projects:read`), a second workspace's owner and key, projects, API keys
 * and webhook endpoints to address, a delivery, events and spare sessions' refresh tokens. What the
 * responses reveal later (ids, ETags, cursors, tokens) joins the pools that references pick from.
 */
export async function buildWorld(t: TestApp) {
  const owner = await signedIn(t, OWNER);
  const other = await signedIn(t, OTHER);
  const cred = bearer(owner.auth);
  const credentials = [
    await createKeyHttp(t, cred, { name: 'fuzz all scopes' }),
    await createKeyHttp(t, cred, { name: 'fuzz read', scopes: ['projects:read'] }),
    await createKeyHttp(t, bearer(other.auth), { name: 'fuzz other' }),
  ];
  const [key, readKey, otherKey] = credentials.map((k) => k.key);
  // The keys requests authenticate with are never addressed: a rotated or revoked one would turn
  // the rest of the run into 401s.
  const untouchable = credentials.map((k) => k.id);
  const pools = new Map<RefKind, string[]>();
  const known = new Set(untouchable);
  const add = (kind: RefKind, value: string) => {
    if (known.has(value)) return;
    known.add(value);
    const pool = pools.get(kind) ?? (pools.set(kind, []), pools.get(kind)!);
    pool.push(value);
  };
  add('workspace', owner.workspaceId);
  add('workspace', other.workspaceId);
  for (let i = 0; i < 3; i++) add('key', (await createKeyHttp(t, cred, { name: `fuzz target ${i}`, scopes: ['projects:read', 'usage:read'] })).id);
  for (let i = 0; i < 4; i++) add('project', (await createProjectHttp(t, owner.auth, { name: `Fuzz seed ${i}`, description: i ? null : 'seed' })).id);
  for (let i = 0; i < 3; i++) add('endpoint', (await createEndpointHttp(t, cred, { url: `${RECEIVER_URL}/${i}` })).id);
  const ping = await t.http.post(`/v1/webhook-endpoints/${pools.get('endpoint')![0]}/test`).set(cred);
  assert.equal(ping.status, 202, ping.text);
  add('delivery', ping.body.data.id);
  add('event', ping.body.data.event_id);
  for (let i = 0; i < 4; i++) add('refreshToken', (await login(t, { email: OWNER.email, password: OWNER.password })).refresh_token);
  const etags = new Map<string, string>();

  const refValue = (ref: Ref, pathParams: Record<string, string>): string => {
    if (ref.kind === 'email') return OWNER.email;
    if (ref.kind === 'password') return OWNER.password;
    if (ref.kind === 'etag') return etags.get(pathParams.project_id) ?? '"stale"';
    const pool = pools.get(ref.kind) ?? [];
    // Cursors: the latest ones, which still match the data they were made from.
    const from = ref.kind === 'cursor' ? pool.slice(-8) : pool;
    return from.length ? from[ref.pick % from.length] : FALLBACK_ID[ref.kind] ?? 'none';
  };

  function authHeaders(req: FuzzRequest): Record<string, string> {
    const pooled = pools.get('apiKey') ?? [];
    switch (req.auth) {
      case 'owner':
        return cred;
      case 'key':
        return apiKey(key);
      case 'readKey':
        return apiKey(readKey);
      case 'pooledKey':
        return apiKey(pooled.length ? pooled[req.authPick % pooled.length] : readKey);
      case 'otherOwner':
        return bearer(other.auth);
      case 'both':
        return { ...cred, ...apiKey(key) };
      case 'mixed':
        return { ...cred, ...apiKey(otherKey) };
      case 'badBearer':
        return { Authorization: BAD_BEARERS[req.authPick % BAD_BEARERS.length] };
      case 'badKey':
        return apiKey(BAD_KEYS[req.authPick % BAD_KEYS.length]);
      case 'none':
        return {};
    }
  }

  /** The request for this app: references resolved, path and query encoded, body serialised. */
  function resolve(req: FuzzRequest): WireRequest {
    const params: Record<string, string> = {};
    for (const [name, p] of Object.entries(req.pathParams)) params[name] = String(resolveRefs(p.value, (r) => refValue(r, params)));
    const path = req.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (req.pathParams[name]?.raw ? params[name] : encodeLoose(params[name])));
    const query = req.query.map((q) => {
      const value = String(resolveRefs(q.value, (r) => refValue(r, params)));
      return `${encodeLoose(q.name)}=${q.raw ? value : encodeLoose(value)}`;
    });
    const headers: Record<string, string> = { ...authHeaders(req) };
    for (const [name, v] of Object.entries(req.headers)) {
      const value = String(resolveRefs(v, (r) => refValue(r, params)));
      if (SENDABLE.test(value)) headers[name] = value;
    }
    let body: Buffer | undefined;
    if (req.body) {
      const text = req.body.text ?? JSON.stringify(resolveRefs(req.body.json, (r) => refValue(r, params))) ?? '';
      body = Buffer.from(text, 'utf8');
      headers['Content-Type'] = req.body.contentType ?? 'application/json';
    }
    return { method: req.method, url: `/v1${path}${query.length ? `?${query.join('&')}` : ''}`, headers, body };
  }

  /** Remembers what a response reveals, for later requests to use. */
  function observe(res: WireResponse): void {
    if (res.status >= 400 || !res.json) return;
    for (const match of res.text.matchAll(ANY_ID)) {
      const kind = ID_KINDS[match[1]];
      if (kind && kind !== 'workspace') add(kind, match[0]);
    }
    const data = res.json.data;
    if (typeof res.headers.etag === 'string' && typeof data?.id === 'string') etags.set(data.id, res.headers.etag);
    if (typeof data?.refresh_token === 'string') add('refreshToken', data.refresh_token);
    if (typeof data?.key === 'string') add('apiKey', data.key);
    if (typeof res.json.meta?.next_cursor === 'string') add('cursor', res.json.meta.next_cursor);
  }

  return { resolve, observe, pools, owner, other };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;
