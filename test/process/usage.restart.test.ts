import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './run';

const DAY_MS = 86_400_000;
const date = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

async function call(server: RunningServer, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

async function loginAs(server: RunningServer, email: string, password: string): Promise<string> {
  const res = await call(server, 'POST', '/v1/auth/login', undefined, { email, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.access_token;
}

// Counts live in memory between flushes; a graceful stop must write them before the process exits.
describe('usage metering across a restart (src/main.ts)', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-usage-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('getUsage: 200 after a graceful restart (SIGTERM) shows every request made before it, with no timer flush in between', async () => {
    // 60 s between timer flushes: within this test, only the shutdown flush can write the counts.
    const env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', USAGE_FLUSH_INTERVAL_MS: '60000' };
    // Three UTC days around now, so the test passes across midnight too.
    const window = `from=${date(-1)}&to=${date(2)}&group_by=status_class`;

    const first = await startServer(env);
    let email: string, password: string;
    try {
      const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(first.stderr());
      assert.ok(m, `first start prints credentials: ${first.stderr()}`);
      [, email, password] = m;
      const token = await loginAs(first, email, password); // not counted: no credential yet
      for (let i = 0; i < 3; i++) assert.equal((await call(first, 'POST', '/v1/projects', token, { name: `p${i}` })).status, 201);
      assert.equal((await call(first, 'GET', '/v1/projects', token)).status, 200);
      assert.equal((await call(first, 'GET', '/v1/projects/prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R', token)).status, 404);
      assert.equal((await call(first, 'GET', '/v1/projects')).status, 401); // not counted: no credential
      // Nothing has been written yet, so this shows nothing (and is itself counted: a sixth request).
      const before = await call(first, 'GET', `/v1/usage?${window}`, token);
      assert.equal(before.status, 200);
      assert.equal(before.body.data.requests, 0);
    } finally {
      assert.equal(await first.stop('SIGTERM'), 0, 'graceful shutdown exits 0');
    }

    const second = await startServer(env);
    try {
      const token = await loginAs(second, email!, password!);
      const res = await call(second, 'GET', `/v1/usage?${window}`, token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.data.requests, 6);
      assert.equal(res.body.data.errors, 1);
      assert.deepEqual(res.body.data.groups, [
        { key: '2xx', requests: 5, errors: 0, error_rate: 0 },
        { key: '4xx', requests: 1, errors: 1, error_rate: 1 },
      ]);
    } finally {
      assert.equal(await second.stop('SIGTERM'), 0);
    }
  });
});
