import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, ROOT } from './run';

/** The first shell block of a README section, as a reader would paste it. */
function walkthrough(heading = 'First five minutes'): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`## ${heading}`));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error(`README has no "${heading}" sh block`);
  return m[1];
}

/** Runs a README block against `server`, with BASE and PASSWORD set to it; its stdout lines. */
function runBlock(script: string, server: { url: string; stderr(): string }): string[] {
  const password = /password:\s+(\S+)/.exec(server.stderr())?.[1];
  assert.ok(password);
  const ready = script.replace(/^BASE=.*$/m, `BASE=${server.url}`).replace(/^PASSWORD=.*$/m, `PASSWORD='${password}'`);
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', ready], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, `the walkthrough failed:\n${run.stderr}\n${run.stdout}`);
  return run.stdout.trim().split('\n');
}

describe('README "First five minutes"', function () {
  this.timeout(60_000);

  it('runs verbatim against a fresh server (only BASE and PASSWORD set to this deployment)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-readme-'));
    const server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', WEBHOOK_ALLOW_PRIVATE: 'true' });
    try {
      const [created, listed, listedWithKey, usage, webhook] = runBlock(walkthrough(), server).map((l) => JSON.parse(l));
      assert.equal(created.data.name, 'Payments API');
      assert.equal(created.data.slug, 'payments-api');
      assert.deepEqual(listed.data.map((p: { id: string }) => p.id), [created.data.id]);
      assert.deepEqual(listedWithKey.data.map((p: { id: string }) => p.id), [created.data.id]);
      const byOperation = Object.fromEntries(usage.data.groups.map((g: { key: string; requests: number }) => [g.key, g.requests]));
      assert.equal(byOperation.createProject, 1);
      assert.equal(byOperation.listProjects, 2);
      assert.equal(byOperation.createApiKey, 1);
      assert.equal(usage.data.errors, 0);
      assert.deepEqual(webhook, { verified: 'project.created', project: 'Webhooks demo' });
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('README "Teams"', function () {
  this.timeout(60_000);

  it('runs verbatim against a fresh server: invite, accept, promote, remove (createInvitation, acceptInvitation, updateMember, deleteMember)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-readme-'));
    const server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' });
    try {
      const [members, promoted, status] = runBlock(walkthrough('Teams'), server);
      assert.deepEqual(JSON.parse(members).data.map((m: { email: string; role: string }) => [m.email, m.role]), [
        ['dev@example.com', 'member'],
        ['owner@example.com', 'owner'],
      ]);
      assert.equal(JSON.parse(promoted).data.role, 'admin');
      assert.equal(status, '401');
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
