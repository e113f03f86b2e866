import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, startServer, type RunningServer } from './run';
import { parseEnvLines } from '../support/envLines';

// Issue #13 item 2: instances share the deployment's secrets from the environment, so a token or a
// cursor one instance issues is accepted by another. Here two processes share one SQLite file.
describe('two service processes sharing secrets from the environment (src/main.ts)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'cloud-api-inst-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a token and a cursor issued by one instance work on the other; no secrets file is written', async () => {
    const generated = await runScript('scripts/cli.ts', ['generate-secrets'], {});
    assert.equal(generated.code, 0, generated.stderr);
    const secrets = parseEnvLines(generated.stdout);
    assert.deepEqual(Object.keys(secrets), ['JWT_PRIVATE_KEY', 'CURSOR_KEY', 'PEPPER']);
    const database = join(dir(), 'shared.sqlite');
    const env = { ...secrets, DATABASE_PATH: database, PASSWORD_HASH_COST: '10', NODE_ENV: 'production' };
    const made = await runScript('scripts/cli.ts', ['create-user', '--email', 'ana@example.com', '--password', 'a long passphrase'], env);
    assert.equal(made.code, 0, made.stderr);
    const dataDirs = [dir(), dir()];
    servers.push(...(await Promise.all(dataDirs.map((d) => startServer({ ...env, DATA_DIR: d })))));
    const [a, b] = servers;
    for (const d of dataDirs) assert.equal(existsSync(join(d, 'secrets.json')), false);

    const login = await fetch(`${a.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@example.com', password: 'a long passphrase' }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { data: { access_token: string } }).data.access_token}` };
    for (let i = 0; i < 3; i++) {
      const created = await fetch(`${i % 2 ? a.url : b.url}/v1/projects`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `p${i}` }),
      });
      assert.equal(created.status, 201);
    }
    const page = (await (await fetch(`${a.url}/v1/projects?limit=2`, { headers: auth })).json()) as { meta: { next_cursor: string } };
    const next = await fetch(`${b.url}/v1/projects?limit=2&cursor=${encodeURIComponent(page.meta.next_cursor)}`, { headers: auth });
    assert.equal(next.status, 200);
    assert.deepEqual(((await next.json()) as { data: { name: string }[] }).data.map((p: { name: string }) => p.name), ['p0']);
  });

  it('refuses to start with only some of the secret variables set, naming the missing ones', async () => {
    const exit = await runScript('src/main.ts', [], { DATA_DIR: dir(), PORT: '0', PEPPER: Buffer.alloc(32, 1).toString('base64') });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /JWT_PRIVATE_KEY, CURSOR_KEY must be set with PEPPER/);
  });
});
