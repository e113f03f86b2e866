import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runScript } from './run';
import { exchange, parse } from '../support/rawHttp';

// `npm start` as a newcomer runs it: a real process, no configuration but a fresh data directory.
describe('service process (src/main.ts)', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-main-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts with zero configuration, prints a working first login once, and keeps it across a graceful restart', async () => {
    const env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' };
    const first = await startServer(env);
    const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(first.stderr());
    assert.ok(m, `first start prints credentials: ${first.stderr()}`);
    const [, email, password] = m;
    assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);

    const ready = await fetch(`${first.url}/readyz`);
    assert.equal(ready.status, 200);
    const docs = await fetch(`${first.url}/docs/`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/);
    // The server Node would answer itself (431 here) answers in the envelope.
    const tooLarge = parse(await exchange(Number(new URL(first.url).port), `GET /v1/me HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    assert.equal(tooLarge.status, 431);
    assert.equal(tooLarge.body.error.code, 'headers_too_large');

    const login = await fetch(`${first.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(login.status, 200);
    const { access_token } = ((await login.json()) as { data: { access_token: string } }).data;
    const created = await fetch(`${first.url}/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ name: 'survives restarts' }),
    });
    assert.equal(created.status, 201);
    assert.ok(!first.stdout().includes(password), 'the password never reaches the JSON log');
    assert.ok(!first.stdout().includes(access_token), 'tokens never reach the JSON log');

    assert.equal(await first.stop('SIGTERM'), 0, 'graceful shutdown exits 0');
    assert.match(first.stdout(), /"msg":"stopped"/);

    const second = await startServer(env);
    try {
      assert.doesNotMatch(second.stderr(), /password:/, 'credentials are printed only on the very first start');
      // Same persisted signing key: the token from before the restart is still accepted.
      const list = await fetch(`${second.url}/v1/projects`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(list.status, 200);
      const body = (await list.json()) as { data: { name: string }[] };
      assert.deepEqual(body.data.map((p: { name: string }) => p.name), ['survives restarts']);
    } finally {
      assert.equal(await second.stop('SIGINT'), 0);
    }
  });

  it('production mode creates no account and prints the CLI command instead', async () => {
    const server = await startServer({ DATA_DIR: dataDir, NODE_ENV: 'production' });
    try {
      assert.match(server.stderr(), /npm run cli -- create-user/);
      assert.doesNotMatch(server.stderr(), /password:\s+\S/);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const exit = await runScript('src/main.ts', [], { DATA_DIR: dataDir, PORT: 'eighty' });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /PORT must be an integer/);
    const bad = await runScript('src/main.ts', [], { DATA_DIR: dataDir, PUBLIC_URL: 'not a url' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /PUBLIC_URL/);
  });
});
