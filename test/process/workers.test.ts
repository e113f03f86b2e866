import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, startServer, type RunningServer } from './run';

const lines = (s: RunningServer, msg: string) =>
  s.stdout().split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).map((l) => JSON.parse(l));

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
}

// Issue #13 item 4: WORKERS=2 on SQLite, the workers sharing the file and the rate-limit counters.
describe('WORKERS=2 (src/cluster.ts)', function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: RunningServer | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-workers-'));
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listApiKeys: exactly L of 2L concurrent requests pass over two workers; a killed worker is replaced; SIGTERM drains all', async () => {
    const env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', NODE_ENV: 'production', WORKERS: '2' };
    const made = await runScript('scripts/cli.ts', ['create-user', '--email', 'ana@example.com', '--password', 'a long passphrase'], env);
    assert.equal(made.code, 0, made.stderr);
    server = await startServer(env);
    const s = server;
    await until(() => lines(s, 'listening').length === 2, 'both workers listen');
    const login = await fetch(`${s.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@example.com', password: 'a long passphrase' }),
    });
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const get = () => fetch(`${s.url}/v1/api-keys`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    const statuses = await Promise.all(Array.from({ length: 120 }, get));
    assert.equal(statuses.filter((x) => x === 200).length, 60, 'the keys group allows 60 per minute in all');
    assert.equal(statuses.filter((x) => x === 429).length, 60);

    const [first] = lines(s, 'worker started');
    process.kill(first.pid, 'SIGKILL');
    await until(() => lines(s, 'worker died; starting another').length === 1, 'the primary notices');
    await until(() => lines(s, 'listening').length === 3, 'a new worker listens');
    assert.equal((await fetch(`${s.url}/v1/me`)).status, 401, 'still answering');

    const code = await s.stop('SIGTERM');
    server = undefined;
    assert.equal(code, 0);
    assert.equal(lines(s, 'stopped').length, 3, 'both workers and the primary stopped cleanly');
  });
});
