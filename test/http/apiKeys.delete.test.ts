import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { expectErrorFor } from '../support/errors';
import { makeAppWith } from '../support/app';
import {
  UNKNOWN_KEY_ID,
  apiKey,
  bearer,
  createKeyHttp,
  expectInsufficientScope,
  expectInternalError,
  expectInvalidApiKey,
  failingApiKeys,
  ownerWithKey,
  tamper,
  type Cred,
} from '../support/apiKeys';

const del = (t: TestApp, cred: Cred, id: string) => t.http.delete(`/v1/api-keys/${id}`).set(cred);

describe('DELETE /v1/api-keys/{key_id} (deleteApiKey)', () => {
  describe('204', () => {
    it('deleteApiKey: 204 revokes the key: it stops working at once, then GET and DELETE are 404', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      const other = await createKeyHttp(t, bearer(owner.auth), { name: 'other', scopes: ['projects:read'] });
      await t.http.get('/v1/projects').set(keyCred).expect(200);

      const res = await del(t, bearer(owner.auth), created.id);
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      assert.ok(res.headers['x-request-id']);

      expectInvalidApiKey(await t.http.get('/v1/projects').set(keyCred));
      expectInvalidApiKey(await t.http.get('/v1/me').set(keyCred));
      expectError(await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)), 404, 'not_found');
      expectError(await del(t, bearer(owner.auth), created.id), 404, 'not_found');
      expectError(
        await t.http.post(`/v1/api-keys/${created.id}/rotate`).set(bearer(owner.auth)).send({}),
        404,
        'not_found',
      );
      // Other keys are untouched.
      await t.http.get('/v1/projects').set(apiKey(other.key)).expect(200);
      const list = await t.http.get('/v1/api-keys').set(bearer(owner.auth)).expect(200);
      assert.deepEqual(
        list.body.data.map((k: { id: string }) => k.id),
        [other.id],
      );
    });

    it('deleteApiKey: 204 a key can revoke itself, and its next request is refused', async () => {
      const t = makeTestApp();
      const { created, keyCred } = await ownerWithKey(t, ['keys:write']);
      await del(t, keyCred, created.id).expect(204);
      expectInvalidApiKey(await t.http.get('/v1/api-keys').set(keyCred));
    });

    it('deleteApiKey: 204 a key may revoke a key whose scopes it all holds', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const weaker = await createKeyHttp(t, bearer(owner.auth), { name: 'weaker', scopes: ['projects:read'] });
      await del(t, keyCred, weaker.id).expect(204);
      expectInvalidApiKey(await t.http.get('/v1/me').set(apiKey(weaker.key)));
    });

    it('deleteApiKey: 204 revokes the previous secret still in its rotation grace period, and the new one', async () => {
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const rotated = (
        await t.http
          .post(`/v1/api-keys/${created.id}/rotate`)
          .set(bearer(owner.auth))
          .send({ grace_period_seconds: 3600 })
          .expect(200)
      ).body.data;
      await t.http.get('/v1/me').set(apiKey(key)).expect(200);
      await t.http.get('/v1/me').set(apiKey(rotated.key)).expect(200);
      await del(t, bearer(owner.auth), created.id).expect(204);
      expectInvalidApiKey(await t.http.get('/v1/me').set(apiKey(key)));
      expectInvalidApiKey(await t.http.get('/v1/me').set(apiKey(rotated.key)));
    });
  });

  describe('400', () => {
    it('deleteApiKey: 400 validation_failed for a malformed key id, deleting nothing', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      for (const id of ['nope', created.id.toLowerCase(), `${created.id}0`, created.id.replace('key_', 'prj_')]) {
        expectErrorFor(id, await del(t, bearer(owner.auth), id), 400, 'validation_failed', '/path/key_id');
      }
      await t.http.get('/v1/me').set(keyCred).expect(200);
    });
  });

  describe('401', () => {
    it('deleteApiKey: 401 without credentials or with a malformed or unknown key, deleting nothing', async () => {
      const t = makeTestApp();
      const { created, key, keyCred } = await ownerWithKey(t);
      expectError(await t.http.delete(`/v1/api-keys/${created.id}`), 401, 'unauthenticated');
      expectInvalidApiKey(await del(t, apiKey(tamper(key)), created.id), 'The API key is malformed.');
      const foreign = await ownerWithKey(makeTestApp());
      expectInvalidApiKey(await del(t, apiKey(foreign.key), created.id));
      await t.http.get('/v1/me').set(keyCred).expect(200);
    });
  });

  describe('403', () => {
    it('deleteApiKey: 403 insufficient_scope for a key holding scopes the caller lacks, which keeps working', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write']);
      const strong = await createKeyHttp(t, bearer(owner.auth), { name: 'strong' });
      expectInsufficientScope(await del(t, keyCred, strong.id), 'projects:read');
      await t.http.get('/v1/me').set(apiKey(strong.key)).expect(200);
    });

    it('deleteApiKey: 403 insufficient_scope for a key without keys:write and for a member, deleting nothing', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read', 'projects:write', 'usage:read', 'webhooks:read', 'webhooks:write']);
      expectInsufficientScope(await del(t, keyCred, created.id), 'keys:write');
      const member = await signedIn(t, { role: 'member' });
      await t.store.identity.setMembership(member.userId, owner.workspaceId, 'member');
      const login = await t.http
        .post('/v1/auth/login')
        .send({ email: member.email, password: member.password, workspace_id: owner.workspaceId })
        .expect(200);
      expectInsufficientScope(await del(t, bearer(`Bearer ${login.body.data.access_token}`), created.id), 'keys:write');
      await t.http.get('/v1/me').set(keyCred).expect(200);
    });
  });

  describe('404', () => {
    it('deleteApiKey: 404 not_found for an unknown id and for a key of another workspace, which keeps working', async () => {
      const t = makeTestApp();
      const a = await signedIn(t);
      const b = await ownerWithKey(t, ['projects:read']);
      expectError(await del(t, bearer(a.auth), UNKNOWN_KEY_ID), 404, 'not_found');
      expectError(await del(t, bearer(a.auth), b.created.id), 404, 'not_found');
      await t.http.get('/v1/projects').set(b.keyCred).expect(200);
      await t.http.get(`/v1/api-keys/${b.created.id}`).set(bearer(b.owner.auth)).expect(200);
    });
  });

  describe('500', () => {
    it('deleteApiKey: 500 internal_error when the store fails, without internals; the key keeps working', async () => {
      const t = makeAppWith({ store: failingApiKeys('revoke') });
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      expectInternalError(t, await del(t, bearer(owner.auth), created.id));
      await t.http.get('/v1/me').set(keyCred).expect(200);
    });
  });
});
