import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { expectError, makeTestApp, PUBLIC_URL, signedIn, type TestApp } from '../helpers';
import { makeAppWith } from '../support/app';
import { assertNoDuplicates, nextLink } from '../support/projects';
import {
  apiKey,
  assertApiKeyShape,
  assertShows,
  bearer,
  createKeyHttp,
  expectInsufficientScope,
  expectInternalError,
  expectInvalidApiKey,
  failingApiKeys,
  ownerWithKey,
  tamper,
  type CreatedKey,
  type Cred,
} from '../support/apiKeys';

const list = (t: TestApp, cred: Cred, query: Record<string, string | number> = {}) =>
  t.http.get('/v1/api-keys').query(query).set(cred);

/** Every page of GET /v1/api-keys, via meta.next_cursor or the Link header, checking page invariants. */
async function walkKeys(t: TestApp, cred: Cred, limit: number, via: 'cursor' | 'link') {
  const items: any[] = [];
  const pages: Response[] = [];
  let res = await list(t, cred, { limit });
  for (;;) {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    pages.push(res);
    items.push(...res.body.data);
    assert.deepEqual(Object.keys(res.body).sort(), ['data', 'meta']);
    const { meta } = res.body;
    assert.equal(meta.limit, limit);
    const link = nextLink(res);
    if (!meta.has_more) {
      assert.equal(meta.next_cursor, null);
      assert.equal(link, undefined, 'no Link header on the last page');
      return { items, pages };
    }
    assert.equal(res.body.data.length, limit, 'only the last page may be short');
    assert.equal(typeof meta.next_cursor, 'string');
    assert.ok(link, 'a page with more has a Link header');
    assert.ok(link.startsWith(`${PUBLIC_URL}/v1/api-keys?`), link);
    const url = new URL(link);
    assert.equal(url.searchParams.get('cursor'), meta.next_cursor);
    assert.equal(url.searchParams.get('limit'), String(limit));
    assert.ok(pages.length < 100, 'the walk does not end');
    res =
      via === 'link'
        ? await t.http.get(link.slice(PUBLIC_URL.length)).set(cred)
        : await list(t, cred, { limit, cursor: meta.next_cursor });
  }
}

describe('GET /v1/api-keys (listApiKeys)', () => {
  describe('200', () => {
    it('listApiKeys: 200 walks 25 keys with limit=7 via meta.next_cursor and via Link, newest first, each once', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const created: CreatedKey[] = [];
      for (let i = 0; i < 25; i++) created.push(await createKeyHttp(t, bearer(u.auth), { name: `key-${i}`, scopes: ['projects:read'] }));
      const newestFirst = [...created].reverse();

      for (const via of ['cursor', 'link'] as const) {
        const { items, pages } = await walkKeys(t, bearer(u.auth), 7, via);
        assert.deepEqual(
          pages.map((p) => p.body.data.length),
          [7, 7, 7, 4],
          via,
        );
        assertNoDuplicates(items as { id: string }[]);
        assert.deepEqual(
          items.map((k) => k.id),
          newestFirst.map((k) => k.id),
          `${via}: every key, newest first`,
        );
        items.forEach((k, i) => {
          assertApiKeyShape(k);
          assert.equal(k.key, undefined, 'the full key is never listed');
          assertShows(k, newestFirst[i].key);
          assert.equal(k.name, newestFirst[i].name);
          assert.equal(k.prefix.length, 12);
        });
        const text = pages.map((p) => p.text).join('\n');
        for (const c of created) assert.ok(!text.includes(c.key), 'no page contains a full key');
      }
    });

    it('listApiKeys: 200 the default page is 20 and larger limits are clamped to 100', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (let i = 0; i < 21; i++) await createKeyHttp(t, bearer(u.auth), { scopes: ['projects:read'] });
      const first = await list(t, bearer(u.auth)).expect(200);
      assert.equal(first.body.data.length, 20);
      assert.equal(first.body.meta.limit, 20);
      assert.equal(first.body.meta.has_more, true);
      const all = await list(t, bearer(u.auth), { limit: 1000 }).expect(200);
      assert.equal(all.body.meta.limit, 100);
      assert.equal(all.body.data.length, 21);
      assert.equal(all.body.meta.has_more, false);
      assert.equal(all.headers.link, undefined);
    });

    it('listApiKeys: 200 empty list for a workspace without keys', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await list(t, bearer(u.auth)).expect(200);
      assert.deepEqual(res.body, { data: [], meta: { limit: 20, has_more: false, next_cursor: null } });
      assert.equal(res.headers.link, undefined);
    });

    it('listApiKeys: 200 revoked keys are not listed; rotated keys show their new prefix and last4', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const gone = await createKeyHttp(t, bearer(u.auth), { name: 'gone' });
      const kept = await createKeyHttp(t, bearer(u.auth), { name: 'kept' });
      await t.http.delete(`/v1/api-keys/${gone.id}`).set(bearer(u.auth)).expect(204);
      const rotated = (await t.http.post(`/v1/api-keys/${kept.id}/rotate`).set(bearer(u.auth)).send({}).expect(200)).body.data;
      const res = await list(t, bearer(u.auth)).expect(200);
      assert.deepEqual(
        res.body.data.map((k: { id: string }) => k.id),
        [kept.id],
      );
      assertShows(res.body.data[0], rotated.key);
      assert.equal(res.body.data[0].rotated_at, rotated.rotated_at);
    });

    it('listApiKeys: 200 with an API key holding keys:write, listing the keys of its workspace only', async () => {
      const t = makeTestApp();
      const { keyCred, created } = await ownerWithKey(t, ['keys:write']);
      await ownerWithKey(t); // another workspace
      const res = await list(t, keyCred).expect(200);
      assert.deepEqual(
        res.body.data.map((k: { id: string }) => k.id),
        [created.id],
      );
    });
  });

  describe('400', () => {
    it('listApiKeys: 400 validation_failed for a bad limit or an unknown query parameter', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const [query, pointer] of [
        [{ limit: 0 }, '/query/limit'],
        [{ limit: -1 }, '/query/limit'],
        [{ limit: 'ten' }, '/query/limit'],
        [{ limit: 1.5 }, '/query/limit'],
        [{ cursor: '' }, '/query/cursor'],
        [{ name: 'x' }, '/query/name'],
      ] as const) {
        const err = expectError(await list(t, bearer(u.auth), query as Record<string, string | number>), 400, 'validation_failed');
        assert.ok(
          err.details.some((d: any) => d.pointer === pointer),
          `${JSON.stringify(query)}: ${JSON.stringify(err.details)}`,
        );
      }
    });

    it('listApiKeys: 400 invalid_cursor for a tampered cursor, a projects cursor, or another workspace cursor', async () => {
      const t = makeTestApp();
      const a = await signedIn(t);
      const b = await signedIn(t);
      for (let i = 0; i < 3; i++) {
        await createKeyHttp(t, bearer(a.auth), { scopes: ['projects:read'] });
        await createKeyHttp(t, bearer(b.auth), { scopes: ['projects:read'] });
        await t.http.post('/v1/projects').set(bearer(a.auth)).send({ name: `p${i}` }).expect(201);
      }
      const cursor = (await list(t, bearer(a.auth), { limit: 1 }).expect(200)).body.meta.next_cursor;
      const projectCursor = (await t.http.get('/v1/projects?limit=1').set(bearer(a.auth)).expect(200)).body.meta.next_cursor;
      assert.ok(cursor && projectCursor);
      const flipped = cursor.slice(0, -2) + (cursor.at(-2) === 'A' ? 'B' : 'A') + cursor.at(-1);
      for (const [what, res] of [
        ['tampered', await list(t, bearer(a.auth), { limit: 1, cursor: flipped })],
        ['garbage', await list(t, bearer(a.auth), { limit: 1, cursor: 'not-a-cursor' })],
        ['projects cursor', await list(t, bearer(a.auth), { limit: 1, cursor: projectCursor })],
        ['cursor of workspace A used in B', await list(t, bearer(b.auth), { limit: 1, cursor })],
      ] as const) {
        try {
          expectError(res, 400, 'invalid_cursor');
        } catch (e) {
          throw new Error(`${what}: ${(e as Error).message}`);
        }
      }
      // Control: the cursor works where it was made.
      await list(t, bearer(a.auth), { limit: 1, cursor }).expect(200);
    });
  });

  describe('401', () => {
    it('listApiKeys: 401 unauthenticated without credentials', async () => {
      const t = makeTestApp();
      expectError(await t.http.get('/v1/api-keys'), 401, 'unauthenticated');
    });

    it('listApiKeys: 401 invalid_api_key for a malformed, unknown or revoked key', async () => {
      const t = makeTestApp();
      const { key, owner, created } = await ownerWithKey(t);
      expectInvalidApiKey(await list(t, apiKey(tamper(key))), 'The API key is malformed.');
      expectInvalidApiKey(await list(t, apiKey(key.slice(0, -1))), 'The API key is malformed.');
      await t.http.delete(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(204);
      expectInvalidApiKey(await list(t, apiKey(key)));
    });
  });

  describe('403', () => {
    it('listApiKeys: 403 insufficient_scope for a key without keys:write and for a member', async () => {
      const t = makeTestApp();
      const { keyCred } = await ownerWithKey(t, ['projects:read', 'projects:write', 'usage:read', 'webhooks:read', 'webhooks:write']);
      expectInsufficientScope(await list(t, keyCred), 'keys:write');
      const member = await signedIn(t, { role: 'member' });
      expectInsufficientScope(await list(t, bearer(member.auth)), 'keys:write');
    });
  });

  describe('500', () => {
    it('listApiKeys: 500 internal_error when the store fails, without internals', async () => {
      const t = makeAppWith({ store: failingApiKeys('list') });
      const u = await signedIn(t);
      expectInternalError(t, await list(t, bearer(u.auth)));
    });
  });
});
