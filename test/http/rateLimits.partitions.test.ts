import assert from 'node:assert/strict';
import { createUser, expectError, signedIn, type TestApp } from '../helpers';
import { appFromSpec, operationsOf, removeSpecCopies, specCopy, specWithLimits } from '../support/specCopy';
import { seedProjects, UNKNOWN_PROJECT_ID } from '../support/projects';
import { wrongLogin } from '../support/rateLimits';

async function createKey(t: TestApp, auth: string, scopes: string[]): Promise<string> {
  const res = await t.http.post('/v1/api-keys').set('Authorization', auth).send({ name: `key ${scopes.join(' ')}`, scopes });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.key;
}

describe('rate limits from the contract (x-rate-limit): partitions and exempt routes', () => {
  after(removeSpecCopies);

  describe('partitions: who shares a budget', () => {
    it('listProjects: two API keys, the user who made them and another user each have their own budget', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-read': { limit: 2 } }));
      const u = await signedIn(t);
      const other = await signedIn(t);
      const keyA = await createKey(t, u.auth, ['projects:read']);
      const keyB = await createKey(t, u.auth, ['projects:read']);
      for (const [name, header, value] of [
        ['key A', 'x-api-key', keyA],
        ['key B', 'x-api-key', keyB],
        ['user', 'Authorization', u.auth],
        ['another user', 'Authorization', other.auth],
      ]) {
        for (let i = 0; i < 2; i++) {
          const res = await t.http.get('/v1/projects').set(header, value);
          assert.equal(res.status, 200, `${name} request ${i + 1}: ${JSON.stringify(res.body)}`);
          assert.equal(res.headers['x-ratelimit-remaining'], String(1 - i), name);
        }
        expectError(await t.http.get('/v1/projects').set(header, value), 429, 'rate_limited');
      }
    });

    it('createProject 429 (projects-write exhausted) leaves listProjects and getMe at 200: groups do not share a budget', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 2 } }));
      const u = await signedIn(t);
      for (let i = 0; i < 2; i++) await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: `p${i}` }).expect(201);
      expectError(await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'x' }), 429, 'rate_limited');
      const list = await t.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
      assert.match(list.headers['ratelimit-policy'], /^"projects-read";/);
      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200);
    });

    it('createProject, updateProject and deleteProject share the projects-write budget: 201, 200, 204, then 429 for each', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 3 } }));
      const u = await signedIn(t);
      const [other] = await seedProjects(t, u.workspaceId, 1);
      const created = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'shared' }).expect(201);
      assert.equal(created.headers['ratelimit'].split(';t=')[0], '"projects-write";r=2');
      const id = created.body.data.id;
      const updated = await t.http.patch(`/v1/projects/${id}`).set('Authorization', u.auth).send({ description: 'x' }).expect(200);
      assert.equal(updated.headers['ratelimit'].split(';t=')[0], '"projects-write";r=1');
      const deleted = await t.http.delete(`/v1/projects/${id}`).set('Authorization', u.auth).expect(204);
      assert.equal(deleted.headers['ratelimit'].split(';t=')[0], '"projects-write";r=0');

      for (const res of [
        await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'again' }),
        await t.http.patch(`/v1/projects/${other.id}`).set('Authorization', u.auth).send({ description: 'y' }),
        await t.http.delete(`/v1/projects/${other.id}`).set('Authorization', u.auth),
      ]) {
        const err = expectError(res, 429, 'rate_limited');
        assert.equal((err.details[0] as { message: string }).message, '"projects-write";q=3;w=60');
      }
      // getProject (projects-read) still works and shows the refused writes did nothing.
      const got = await t.http.get(`/v1/projects/${other.id}`).set('Authorization', u.auth).expect(200);
      assert.equal(got.body.data.description, null);
    });

    it('listProjects without a valid credential counts per client IP: 401, 401, then 429 even with a bad token; a signed-in user is unaffected', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-read': { limit: 2 } }));
      const u = await signedIn(t);
      expectError(await t.http.get('/v1/projects'), 401, 'unauthenticated');
      expectError(await t.http.get('/v1/projects').set('Authorization', 'Bearer not-a-token'), 401, 'invalid_token');
      expectError(await t.http.get('/v1/projects'), 429, 'rate_limited');
      expectError(await t.http.get('/v1/projects').set('Authorization', 'Bearer not-a-token'), 429, 'rate_limited');
      await t.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
      expectError(await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`), 429, 'rate_limited');
    });

    it('login: wrong passwords count; the account policy stops one email (any case) while another email passes until the client IP policy is used up', async () => {
      const t = appFromSpec(
        specWithLimits({ 'auth-login-ip': { limit: 6, window: 60 }, 'auth-login-account': { limit: 3, window: 300 } }),
      );
      const a = await createUser(t);
      const b = await createUser(t);
      for (let i = 0; i < 3; i++) expectError(await wrongLogin(t, a.email), 401, 'invalid_credentials'); // IP: 3

      const guessed = await wrongLogin(t, a.email); // IP: 4
      const err = expectError(guessed, 429, 'rate_limited');
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: '"auth-login-account";q=3;w=300' }]);
      assert.equal(guessed.headers['ratelimit-policy'], '"auth-login-ip";q=6;w=60, "auth-login-account";q=3;w=300');
      // Even the right password, with the email in another case, is refused: the account is the partition.
      const right = await t.http.post('/v1/auth/login').send({ email: a.email.toUpperCase(), password: a.password }); // IP: 5
      expectError(right, 429, 'rate_limited');

      const other = await t.http.post('/v1/auth/login').send({ email: b.email, password: b.password }); // IP: 6
      assert.equal(other.status, 200, JSON.stringify(other.body));
      assert.equal(other.headers['ratelimit'].split(';t=')[0], '"auth-login-ip";r=0', 'the tightest policy is shown');

      const overIp = await t.http.post('/v1/auth/login').send({ email: b.email, password: b.password }); // IP: 7
      const ipErr = expectError(overIp, 429, 'rate_limited');
      assert.deepEqual(ipErr.details, [{ field: 'policy', code: 'rate_limited', message: '"auth-login-ip";q=6;w=60' }]);
      expectError(await wrongLogin(t, 'nobody@example.com'), 429, 'rate_limited');
    });

    it('acceptInvitation: the token policy stops guesses at one token while another token passes until the client IP policy is used up', async () => {
      const t = appFromSpec(
        specWithLimits({ 'invitation-accept-ip': { limit: 5, window: 60 }, 'invitation-accept-token': { limit: 2, window: 300 } }),
      );
      const accept = (token: string) => t.http.post('/v1/invitations/accept').send({ token, password: 'a guess at the password' });
      for (let i = 0; i < 2; i++) expectError(await accept('cpi_guessed'), 401, 'invalid_invitation'); // IP: 2
      const err = expectError(await accept('cpi_guessed'), 429, 'rate_limited'); // IP: 3
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: '"invitation-accept-token";q=2;w=300' }]);
      expectError(await accept('cpi_other'), 401, 'invalid_invitation'); // IP: 4
      expectError(await accept('cpi_third'), 401, 'invalid_invitation'); // IP: 5
      const overIp = expectError(await accept('cpi_fourth'), 429, 'rate_limited');
      assert.deepEqual(overIp.details, [{ field: 'policy', code: 'rate_limited', message: '"invitation-accept-ip";q=5;w=60' }]);
    });

    it('refreshToken and logout share the auth-tokens budget per client IP', async () => {
      const t = appFromSpec(specWithLimits({ 'auth-tokens': { limit: 2 } }));
      expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: 'rt_unknown' }), 401, 'invalid_refresh_token');
      await t.http.post('/v1/auth/logout').send({ refresh_token: 'rt_unknown' }).expect(204);
      expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: 'rt_unknown' }), 429, 'rate_limited');
      expectError(await t.http.post('/v1/auth/logout').send({ refresh_token: 'rt_unknown' }), 429, 'rate_limited');
    });
  });

  describe('exempt routes', () => {
    it('health and documentation routes answer 200 past any limit, without RateLimit headers', async () => {
      const t = appFromSpec(
        specCopy((doc) => {
          for (const d of [doc['x-rate-limit-default'], ...operationsOf(doc).map(({ op }) => op['x-rate-limit'])]) {
            for (const p of Array.isArray(d) ? d : d ? [d] : []) p.limit = 1;
          }
        }),
      );
      const u = await signedIn(t);
      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200);
      expectError(await t.http.get('/v1/me').set('Authorization', u.auth), 429, 'rate_limited'); // control: limit 1 applies

      const paths = ['/healthz', '/readyz', '/openapi.json', '/openapi.yaml', '/docs/', '/docs/swagger-ui-init.js', '/redoc'];
      for (const path of paths) {
        for (let i = 0; i < (path === '/healthz' ? 30 : 3); i++) {
          const res = await t.http.get(path);
          assert.equal(res.status, 200, `${path} #${i + 1}`);
          for (const h of ['ratelimit', 'ratelimit-policy', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) {
            assert.equal(res.headers[h], undefined, `${path} has ${h}`);
          }
        }
      }
    });
  });
});
