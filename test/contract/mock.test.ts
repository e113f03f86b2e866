import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { operationsOf } from '../support/specCopy';
import { operationUrl } from '../support/operationUrl';

const ROOT = join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A media type's example: `example`, or the first of `examples`. */
function exampleOf(media: { example?: unknown; examples?: Record<string, { value: unknown }> }): unknown {
  return media.example ?? Object.values(media.examples ?? {})[0]?.value;
}

describe('npm run mock (Prism, from the contract examples)', function () {
  this.timeout(60_000);
  const contract = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8'));
  let mock: ChildProcess;
  let base: string;
  let output = '';

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    mock = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/mock.ts'), '--port', String(port)], { cwd: ROOT });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the mock did not start in 40 s:\n${output}`)), 40_000);
      const seen = (d: Buffer) => {
        output += d;
        if (output.includes('Prism is listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      mock.stdout!.on('data', seen);
      mock.stderr!.on('data', seen);
      mock.on('exit', (code) => reject(new Error(`the mock exited with ${code}:\n${output}`)));
    });
  });

  after(async () => {
    if (mock.exitCode !== null) return;
    const exited = new Promise((r) => mock.on('exit', r));
    mock.kill('SIGTERM');
    await exited;
  });

  it('listProjects: GET /v1/projects answers the documented example page, envelope and meta included', async () => {
    const res = await fetch(`${base}/v1/projects`, { headers: { Authorization: 'Bearer any-token' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { token_type?: string }; meta: Record<string, unknown> };
    assert.deepEqual(body, exampleOf(contract.paths['/projects'].get.responses['200'].content['application/json']));
    assert.deepEqual(Object.keys(body.meta).sort(), ['has_more', 'limit', 'next_cursor']);
  });

  it('login: POST /v1/auth/login answers the documented token pair', async () => {
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(exampleOf(contract.paths['/auth/login'].post.requestBody.content['application/json'])),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { token_type?: string }; meta: Record<string, unknown> };
    assert.deepEqual(body, exampleOf(contract.components.responses.TokenIssued.content['application/json']));
    assert.equal(body.data.token_type, 'Bearer');
  });

  it('every operation: the default response carries no sl-violations and no placeholder header', async () => {
    for (const { path, method, op } of operationsOf(contract)) {
      const media = op.requestBody?.content?.['application/json'];
      const body = media && (exampleOf(media) ?? media.schema.examples?.[0] ?? contract.components.schemas[media.schema.$ref?.split('/').pop()]?.examples?.[0]);
      const res = await fetch(`${base}${operationUrl(contract, path, method)}`, {
        method: method.toUpperCase(),
        headers: { Authorization: 'Bearer any-token', ...(body !== undefined && { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await res.arrayBuffer();
      const what = `${op.operationId}: ${res.status}`;
      assert.ok(res.status < 400, what);
      assert.equal(res.headers.get('sl-violations'), null, `${what} ${res.headers.get('sl-violations')}`);
      for (const [name, value] of res.headers) assert.notEqual(value, 'string', `${what}: ${name}`);
      assert.equal(res.headers.get('idempotent-replayed'), null, `${what}: a mock never replays`);
    }
  });

  it('createProject: a malformed body gets 400 validation_failed, as from the service', async () => {
    const res = await fetch(`${base}/v1/projects`, {
      method: 'POST',
      headers: { Authorization: 'Bearer any-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ nam: 'x' }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'validation_failed');
  });

  it('refuses what the contract refuses: a request without credentials is 401', async () => {
    const res = await fetch(`${base}/v1/projects`);
    assert.equal(res.status, 401);
  });
});
