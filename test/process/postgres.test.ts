import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, startServer, type RunningServer } from './run';
import { REDIS_URL, redisRun } from '../support/redis';
import { hasNginx, startNginx } from './nginx';
import { testSchema } from '../support/postgres';
import { parseEnvLines } from '../support/envLines';

const DATABASE_URL = process.env.DATABASE_URL;
type Json = { data: any; meta?: any };

// Issue #13 items 2, 3 and 6: two service processes on one PostgreSQL and one Redis, clients
// alternating between them. The run has a schema and a key prefix of its own, removed after.
(DATABASE_URL && REDIS_URL ? describe : describe.skip)('two instances on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)', function () {
  this.timeout(120_000);
  const redis = redisRun();
  const dirs: string[] = [];
  let schema: Awaited<ReturnType<typeof testSchema>>;
  let servers: RunningServer[] = [];
  let auth: Record<string, string>;

  let env: Record<string, string>;
  before(async () => {
    schema = await testSchema(DATABASE_URL!);
    env = {
      ...parseEnvLines((await runScript('scripts/cli.ts', ['generate-secrets'], {})).stdout),
      DATABASE_URL: schema.url,
      REDIS_URL: REDIS_URL!,
      REDIS_KEY_PREFIX: redis.prefix,
      PASSWORD_HASH_COST: '10',
      NODE_ENV: 'production',
      TRUST_PROXY: 'true',
    };
    const made = await runScript('scripts/cli.ts', ['create-user', '--email', 'ana@example.com', '--password', 'a long passphrase'], env);
    assert.equal(made.code, 0, made.stderr);
    servers = await Promise.all([0, 1].map(() => {
      const dir = mkdtempSync(join(tmpdir(), 'cloud-api-pg-'));
      dirs.push(dir);
      return startServer({ ...env, DATA_DIR: dir });
    }));
    const login = await fetch(`${servers[0].url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@example.com', password: 'a long passphrase' }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    auth = { authorization: `Bearer ${((await login.json()) as Json).data.access_token}` };
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await schema.drop();
    await redis.cleanUp();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const at = (i: number) => servers[i % 2].url;
  const post = (i: number, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${at(i)}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('createProject: the same Idempotency-Key sent to both instances at once creates exactly one project', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i, '/v1/projects', { name: 'Once' }, { 'Idempotency-Key': 'race-1' })));
    const statuses = responses.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), statuses.join(' '));
    const ids = new Set(await Promise.all(responses.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as Json).data.id)));
    assert.equal(ids.size, 1);
    const list = (await (await fetch(`${at(1)}/v1/projects?name=Once`, { headers: auth })).json()) as Json;
    assert.equal(list.data.length, 1);
  });

  it('createProject: a taken slug with an Idempotency-Key is a stored 409, replayed by the other instance', async () => {
    assert.equal((await post(0, '/v1/projects', { name: 'Slug', slug: 'taken-slug' })).status, 201);
    const first = await post(0, '/v1/projects', { name: 'Again', slug: 'taken-slug' }, { 'Idempotency-Key': 'slug-409' });
    assert.equal(first.status, 409, await first.clone().text());
    assert.equal(((await first.json()) as { error: { code: string } }).error.code, 'slug_taken');
    const replay = await post(1, '/v1/projects', { name: 'Again', slug: 'taken-slug' }, { 'Idempotency-Key': 'slug-409' });
    assert.equal(replay.status, 409);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  });

  it('listProjects: tokens and cursors of one instance work on the other', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await post(i, '/v1/projects', { name: `Walk ${i}` })).status, 201);
    const seen: string[] = [];
    let url = `/v1/projects?name=Walk&limit=2`;
    for (let page = 0; url; page++) {
      const res = (await (await fetch(`${at(page)}${url}`, { headers: auth })).json()) as Json;
      seen.push(...res.data.map((p: { name: string }) => p.name));
      url = res.meta.next_cursor ? `/v1/projects?name=Walk&limit=2&cursor=${encodeURIComponent(res.meta.next_cursor)}` : '';
    }
    assert.deepEqual(seen, ['Walk 4', 'Walk 3', 'Walk 2', 'Walk 1', 'Walk 0']);
  });

  // Each instance remembers sessions (src/store/postgres/authCache.ts): a change made elsewhere must
  // still hold at the very next request, whichever instance serves it.
  it('a demotion by the operator CLI and a logout on one instance hold at the next request on both', async () => {
    const cli = (...args: string[]) => runScript('scripts/cli.ts', args, env);
    for (const [email, role] of [['bo@example.com', 'owner'], ['cy@example.com', 'admin']]) {
      const made = await cli('create-user', '--email', email, '--password', 'a long passphrase', '--workspace', 'Team', '--role', role);
      assert.equal(made.code, 0, made.stderr);
    }
    const login = await fetch(`${at(0)}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cy@example.com', password: 'a long passphrase' }),
    });
    const tokens = ((await login.json()) as Json).data as { access_token: string; refresh_token: string };
    const cy = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
    const createKey = (i: number) => fetch(`${at(i)}/v1/api-keys`, { method: 'POST', headers: cy, body: JSON.stringify({ name: 'k', scopes: ['projects:read'] }) });
    for (const i of [0, 1, 0, 1]) assert.equal((await createKey(i)).status, 201);
    assert.equal((await cli('add-member', '--email', 'cy@example.com', '--workspace', 'Team', '--role', 'member')).code, 0);
    for (const i of [0, 1]) assert.equal((await createKey(i)).status, 403, `demoted, on instance ${i}`);
    for (const i of [0, 1]) assert.equal((await fetch(`${at(i)}/v1/projects`, { headers: cy })).status, 200);
    const out = await fetch(`${at(1)}/v1/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: tokens.refresh_token }) });
    assert.equal(out.status, 204);
    for (const i of [0, 1]) assert.equal((await fetch(`${at(i)}/v1/projects`, { headers: cy })).status, 401, `logged out, on instance ${i}`);
  });

  it('listApiKeys: exactly L of 2L concurrent requests spread over both instances pass (limits in Redis)', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 120 }, (_, i) => fetch(`${at(i)}/v1/api-keys`, { headers: auth }).then((r) => r.status)),
    );
    assert.equal(statuses.filter((s) => s === 200).length, 60);
    assert.equal(statuses.filter((s) => s === 429).length, 60);
  });

  it('getUsage: behind nginx (scripts/deploy/nginx.conf, the README setup) exactly L of 2L pass, each with its own X-Request-Id', async function () {
    // .ci/run installs nginx, so CI runs this; only a developer machine without nginx skips it.
    if (!hasNginx && !process.env.CI) this.skip();
    const nginx = await startNginx(servers.map((s) => Number(new URL(s.url).port)) as [number, number]);
    try {
      const url = `${nginx.url}/v1/usage?from=2026-01-01&to=2026-01-02`;
      const responses = await Promise.all(Array.from({ length: 240 }, () => fetch(url, { headers: auth })));
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, 120, statuses.join(' '));
      assert.equal(new Set(responses.map((r) => r.headers.get('x-request-id'))).size, 240);
      // Access lines reach stdout in batches (src/logger.ts): give the last batch its flush interval.
      await new Promise((r) => setTimeout(r, 300));
      const served = servers.map((s) => s.stdout().split('\n').filter((l) => l.includes('"route":"/v1/usage"')).length);
      assert.ok(served.every((n) => n > 0), `nginx spread the requests over both instances: ${served}`);
    } finally {
      await nginx.stop();
    }
  });
});

