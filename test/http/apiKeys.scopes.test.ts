import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Test } from 'supertest';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { createProjectHttp } from '../support/projects';
import type { Scope } from '../../src/auth/scopes';
import {
  ALL_SCOPES,
  apiKey,
  bearer,
  createKeyHttp,
  expectInsufficientScope,
  keyOperations,
  ownerWithKey,
  type Cred,
} from '../support/apiKeys';

const spec = parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8'));
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  security: Record<string, string[]>[];
}

function specOperations(): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) out.push({ operationId: op.operationId, method, path, security: op.security ?? spec.security });
    }
  }
  return out;
}

/** The scopes an operation's security requirement lists for `scheme`, or undefined when the scheme is not offered. */
function scopesFor(op: SpecOperation, scheme: 'bearerAuth' | 'apiKeyAuth'): string[] | undefined {
  return op.security.find((r) => scheme in r)?.[scheme];
}

interface Ctx {
  t: TestApp;
  projectId: string;
  keyId: string;
}

/**
 * A request for every operation whose security lists a scope, against a fresh project and a fresh
 * key (scopes: keys:write only) of the caller's workspace. `ok` is the status the operation answers
 * when the scope is there.
 */
const REQUESTS: Record<string, { ok: number; make: (c: Ctx) => Test }> = {
  listProjects: { ok: 200, make: ({ t }) => t.http.get('/v1/projects') },
  createProject: { ok: 201, make: ({ t }) => t.http.post('/v1/projects').send({ name: 'Scoped' }) },
  getProject: { ok: 200, make: ({ t, projectId }) => t.http.get(`/v1/projects/${projectId}`) },
  updateProject: { ok: 200, make: ({ t, projectId }) => t.http.patch(`/v1/projects/${projectId}`).send({ name: 'Renamed' }) },
  deleteProject: { ok: 204, make: ({ t, projectId }) => t.http.delete(`/v1/projects/${projectId}`) },
  listApiKeys: { ok: 200, make: ({ t }) => t.http.get('/v1/api-keys') },
  createApiKey: { ok: 201, make: ({ t }) => t.http.post('/v1/api-keys').send({ name: 'child', scopes: ['keys:write'] }) },
  getApiKey: { ok: 200, make: ({ t, keyId }) => t.http.get(`/v1/api-keys/${keyId}`) },
  rotateApiKey: { ok: 200, make: ({ t, keyId }) => t.http.post(`/v1/api-keys/${keyId}/rotate`).send({}) },
  deleteApiKey: { ok: 204, make: ({ t, keyId }) => t.http.delete(`/v1/api-keys/${keyId}`) },
};

const EXPECTED_SCOPES: Record<string, string> = {
  listProjects: 'projects:read',
  getProject: 'projects:read',
  createProject: 'projects:write',
  updateProject: 'projects:write',
  deleteProject: 'projects:write',
  listApiKeys: 'keys:write',
  createApiKey: 'keys:write',
  getApiKey: 'keys:write',
  rotateApiKey: 'keys:write',
  deleteApiKey: 'keys:write',
};

async function setup(t: TestApp) {
  const owner = await signedIn(t);
  const project = await createProjectHttp(t, owner.auth, { name: 'Target' });
  const target = await createKeyHttp(t, bearer(owner.auth), { name: 'target', scopes: ['keys:write'] });
  return { owner, ctx: { t, projectId: project.id, keyId: target.id } };
}

const send = (req: Test, cred: Cred) => req.set(cred);

describe('API key scopes', () => {
  describe('the contract', () => {
    it('every operation offers bearerAuth and apiKeyAuth with the same scopes, at most one', () => {
      const ops = specOperations();
      assert.ok(ops.length > 10);
      for (const op of ops) {
        if (op.security.length === 0) continue; // public: login, refresh, logout, acceptInvitation
        const b = scopesFor(op, 'bearerAuth');
        // A user's session moves between the user's workspaces; an API key belongs to one.
        if (op.operationId === 'switchWorkspace') {
          assert.deepEqual([b, scopesFor(op, 'apiKeyAuth')], [[], undefined]);
          continue;
        }
        const k = scopesFor(op, 'apiKeyAuth');
        assert.ok(b && k, `${op.operationId}: both schemes are offered`);
        assert.deepEqual(k, b, `${op.operationId}: the same scopes for both schemes`);
        assert.ok(k.length <= 1, `${op.operationId}: ${k}`);
        for (const s of k) assert.ok((ALL_SCOPES as string[]).includes(s), `${op.operationId}: unknown scope ${s}`);
      }
    });

    it('projects and API key operations list the scopes the issue names', () => {
      const ops = new Map(specOperations().map((o) => [o.operationId, o]));
      for (const [id, scope] of Object.entries(EXPECTED_SCOPES)) {
        const op = ops.get(id);
        assert.ok(op, `${id} is in the contract`);
        assert.deepEqual(scopesFor(op, 'apiKeyAuth'), [scope], id);
      }
      assert.deepEqual(scopesFor(ops.get('getMe')!, 'apiKeyAuth'), []);
    });
  });

  describe('403 insufficient_scope for a key without the scope its operation lists; 2xx with only that scope', () => {
    for (const op of specOperations()) {
      const request = REQUESTS[op.operationId];
      const scope = scopesFor(op, 'apiKeyAuth')?.[0];
      if (!request || !scope) continue;
      it(`${op.operationId}: 403 insufficient_scope naming ${scope} for a key with every other scope`, async () => {
        const t = makeTestApp();
        const { owner, ctx } = await setup(t);
        const lacking = await createKeyHttp(t, bearer(owner.auth), { scopes: ALL_SCOPES.filter((s) => s !== scope) });
        expectInsufficientScope(await send(request.make(ctx), apiKey(lacking.key)), scope);
        // Nothing happened: the target project and key are intact.
        await t.http.get(`/v1/projects/${ctx.projectId}`).set(bearer(owner.auth)).expect(200);
        const target = await t.http.get(`/v1/api-keys/${ctx.keyId}`).set(bearer(owner.auth)).expect(200);
        assert.equal(target.body.data.rotated_at, null);

        const only = await createKeyHttp(t, bearer(owner.auth), { scopes: [scope as Scope] });
        const res = await send(request.make(ctx), apiKey(only.key));
        assert.equal(res.status, request.ok, `${op.operationId} with only ${scope}: ${res.status} ${res.text}`);
      });
    }
  });

  describe('a key with only projects:read', () => {
    it('createProject, updateProject, deleteProject: 403 insufficient_scope projects:write; listProjects, getProject: 200', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['projects:read']);
      const p = await createProjectHttp(t, owner.auth, { name: 'Readable', slug: 'readable' });

      expectInsufficientScope(await t.http.post('/v1/projects').set(keyCred).send({ name: 'New' }), 'projects:write');
      expectInsufficientScope(await t.http.patch(`/v1/projects/${p.id}`).set(keyCred).send({ name: 'X' }), 'projects:write');
      expectInsufficientScope(await t.http.delete(`/v1/projects/${p.id}`).set(keyCred), 'projects:write');

      const list = await t.http.get('/v1/projects').set(keyCred).expect(200);
      assert.deepEqual(
        list.body.data.map((x: { id: string }) => x.id),
        [p.id],
      );
      const got = await t.http.get(`/v1/projects/${p.id}`).set(keyCred).expect(200);
      assert.deepEqual(got.body.data, p, 'unchanged by the refused writes');
    });

    it('all five key operations: 403 insufficient_scope keys:write', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      const other = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
      for (const [name, make] of keyOperations(t, other.id)) {
        const res = await make().set(keyCred);
        try {
          expectInsufficientScope(res, 'keys:write');
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
      }
      // Even on itself.
      expectInsufficientScope(await t.http.delete(`/v1/api-keys/${created.id}`).set(keyCred), 'keys:write');
      await t.http.get('/v1/me').set(apiKey(other.key)).expect(200);
    });
  });

  describe('members', () => {
    it('all five key operations: 403 insufficient_scope keys:write for a member, who can still do projects', async () => {
      const t = makeTestApp();
      const member = await signedIn(t, { role: 'member' });
      // An owner's key in the member's workspace, as a target.
      const owner = await signedIn(t);
      await t.store.identity.setMembership(owner.userId, member.workspaceId, 'owner');
      const ownerLogin = await t.http
        .post('/v1/auth/login')
        .send({ email: owner.email, password: owner.password, workspace_id: member.workspaceId })
        .expect(200);
      const target = await createKeyHttp(t, bearer(`Bearer ${ownerLogin.body.data.access_token}`), { scopes: ['projects:read'] });

      for (const [name, make] of keyOperations(t, target.id)) {
        const res = await make().set(bearer(member.auth));
        try {
          expectInsufficientScope(res, 'keys:write');
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
      }
      await t.http.get('/v1/me').set(apiKey(target.key)).expect(200);

      // Projects: the whole lifecycle.
      const p = await createProjectHttp(t, member.auth, { name: 'Member project' });
      await t.http.get('/v1/projects').set(bearer(member.auth)).expect(200);
      await t.http.get(`/v1/projects/${p.id}`).set(bearer(member.auth)).expect(200);
      await t.http.patch(`/v1/projects/${p.id}`).set(bearer(member.auth)).send({ name: 'Renamed' }).expect(200);
      await t.http.delete(`/v1/projects/${p.id}`).set(bearer(member.auth)).expect(204);
    });
  });

  describe('no escalation', () => {
    it('createApiKey: 403 insufficient_scope when a key asks for a scope it does not have itself', async () => {
      const t = makeTestApp();
      const { keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const res = await t.http.post('/v1/api-keys').set(keyCred).send({ name: 'escalate', scopes: ALL_SCOPES });
      const err = expectInsufficientScope(res, 'projects:write');
      assert.deepEqual(err.details, [{ field: 'scope', code: 'missing_scope', message: 'projects:write' }]);
      await t.http.post('/v1/api-keys').set(keyCred).send({ name: 'ok', scopes: ['projects:read'] }).expect(201);
    });

    it('rotateApiKey, deleteApiKey: 403 insufficient_scope for a key holding scopes the caller lacks, 200/204 within them', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const strong = await createKeyHttp(t, bearer(owner.auth), { scopes: ['keys:write', 'projects:write'] });
      expectInsufficientScope(await t.http.post(`/v1/api-keys/${strong.id}/rotate`).set(keyCred).send({}), 'projects:write');
      // Revoking is managing too: a weaker key cannot switch off a stronger one (issue #11 item 8).
      expectInsufficientScope(await t.http.delete(`/v1/api-keys/${strong.id}`).set(keyCred), 'projects:write');
      await t.http.get('/v1/me').set(apiKey(strong.key)).expect(200);
      // Reading it is allowed: reading never hands out anything.
      await t.http.get(`/v1/api-keys/${strong.id}`).set(keyCred).expect(200);

      const weaker = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
      await t.http.post(`/v1/api-keys/${weaker.id}/rotate`).set(keyCred).send({}).expect(200);
      await t.http.delete(`/v1/api-keys/${weaker.id}`).set(keyCred).expect(204);
    });
  });
});
