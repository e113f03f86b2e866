import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, startServer, type RunningServer } from './run';
import { ensureBuilt } from '../../scripts/built';

const logLines = (s: RunningServer) =>
  s.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
}

// What `npm start` runs: dist/ (built by npm ci's `prepare`, or here when older than its sources),
// with plain node. The rest of the suite runs the service from source.
describe('the compiled service (npm start: node dist/src/main.js)', function () {
  this.timeout(180_000);
  let dataDir: string;
  before(() => ensureBuilt(ROOT, (msg) => process.stderr.write(`      ${msg}\n`)));
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-compiled-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.start, 'node dist/src/main.js');
    assert.equal(pkg.scripts.prepare, 'npm run build');
  });

  it('starts with zero configuration: contract, migrations and Redoc found from dist/; logs through pino, flushed at SIGTERM', async () => {
    const server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' }, 'compiled');
    try {
      const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr());
      assert.ok(m, `first start prints credentials: ${server.stderr()}`);
      const [, email, password] = m;
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      const contract = parse(await (await fetch(`${server.url}/openapi.yaml`)).text()) as { openapi: string; paths: object };
      assert.match(contract.openapi, /^3\.1\./);
      const redoc = await fetch(`${server.url}/redoc/redoc.standalone.js`);
      assert.equal(redoc.status, 200);
      assert.ok((await redoc.text()).length > 100_000, 'the Redoc bundle from node_modules');
      // Migrations ran: the first user exists and logs in; a list reads the projects table.
      const login = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'compiled-login' },
        body: JSON.stringify({ email, password }),
      });
      assert.equal(login.status, 200);
      const { access_token } = ((await login.json()) as { data: { access_token: string } }).data;
      const list = await fetch(`${server.url}/v1/projects?limit=20`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(list.status, 200);
      await until(() => logLines(server).some((l) => l.operation_id === 'listProjects'), 'the access line of the list');
      const access = logLines(server).find((l) => l.request_id === 'compiled-login');
      assert.equal(access?.operation_id, 'login');
      assert.equal(access?.level, 'info');
      assert.ok(!server.stdout().includes(password) && !server.stdout().includes(access_token), 'no secret in the log');
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
    const last = logLines(server).at(-1);
    assert.equal(last?.msg, 'stopped', 'the last line was written before exit');
  });

  it('WORKERS=2 forks compiled workers that serve on one port', async () => {
    const env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', NODE_ENV: 'production', WORKERS: '2' };
    const server = await startServer(env, 'compiled');
    try {
      await until(() => logLines(server).filter((l) => l.msg === 'listening').length === 2, 'both workers listen');
      const pids = new Set(logLines(server).filter((l) => l.msg === 'listening').map((l) => l.pid));
      assert.equal(pids.size, 2, 'two workers, each logging its pid');
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0);
    }
  });
});
