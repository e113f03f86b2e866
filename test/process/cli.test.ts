import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from './run';
import { loadConfig } from '../../src/config';
import { openAsyncSqliteStore } from '../../src/store/sqlite/async';

const PASSWORD = 'a long enough passphrase';

describe('operator CLI (scripts/cli.ts)', function () {
  this.timeout(60_000);
  let env: Record<string, string>;
  let dataDir: string;
  const cli = (...args: string[]) => runScript('scripts/cli.ts', args, env);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-cli-'));
    env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' };
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('create-user makes the workspace and its owner, printing ids as JSON; add-member and list-users follow', async () => {
    const created = await cli('create-user', '--email', 'Ana@Example.com', '--password', PASSWORD, '--workspace', 'Acme');
    assert.equal(created.code, 0, created.stderr);
    const ids = JSON.parse(created.stdout);
    assert.match(ids.user_id, /^usr_/);
    assert.match(ids.workspace_id, /^ws_/);

    const second = await cli('create-user', '--email', 'bo@example.com', '--password', PASSWORD, '--workspace', 'Other');
    assert.equal(second.code, 0, second.stderr);
    const added = await cli('add-member', '--email', 'bo@example.com', '--workspace', 'Acme', '--role', 'admin');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(JSON.parse(added.stdout).workspace_id, ids.workspace_id);

    const listed = await cli('list-users');
    assert.equal(listed.code, 0, listed.stderr);
    const users = listed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(users.map((u) => u.email), ['ana@example.com', 'bo@example.com']);
    assert.deepEqual(
      users[1].memberships.map((m: { workspace_name: string; role: string }) => `${m.workspace_name}:${m.role}`),
      ['Other:owner', 'Acme:admin'],
    );
    assert.ok(!listed.stdout.includes('scrypt'), 'password hashes are never printed');
  });

  it('a duplicate email fails with status 1 and a message', async () => {
    assert.equal((await cli('create-user', '--email', 'a@example.com', '--password', PASSWORD)).code, 0);
    const dup = await cli('create-user', '--email', 'A@example.com', '--password', PASSWORD);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
  });

  it('wrong arguments print the usage and exit non-zero', async function () {
    // Fifteen processes one after the other, each compiling the CLI with tsx (2 to 3 s of CPU):
    // more than a minute on a loaded two-core machine.
    this.timeout(180_000);
    for (const args of [[], ['bogus'], ['create-user', '--email', 'a@example.com'], ['create-user', '--nope', 'x'],
      ['create-user', '--email', 'not-an-email', '--password', PASSWORD],
      ['create-user', '--email', 'a@example.com', '--password', 'short'],
      // Issue #11 items 5 and 6: the contract's rules and NIST's, not only a length.
      ['create-user', '--email', 'a..b@x.test', '--password', PASSWORD],
      ['create-user', '--email', 'ü@x.test', '--password', PASSWORD],
      ['create-user', '--email', 'a@example.com', '--password', PASSWORD, '--workspace', 'w'.repeat(150)],
      ['create-user', '--email', 'a@example.com', '--password', 'qwerty123456'],
      ['set-password', '--email', 'a@example.com', '--password', ' '.repeat(12)],
      // Issue #22: a password login's contract would refuse (a control character) is never set.
      ['create-user', '--email', 'a@example.com', '--password', `${PASSWORD}\u0007`],
      ['create-user', '--email', 'a@example.com', '--password', PASSWORD, '--role', 'king'],
      ['add-member', '--email', 'nobody@example.com', '--workspace', 'x']]) {
      const exit = await cli(...args);
      assert.equal(exit.code, 2, `${args.join(' ')}: ${exit.stderr}`);
      assert.match(exit.stderr, /Usage: npm run cli/);
    }
    const listed = await cli('list-users');
    assert.equal(listed.stdout, '', 'nothing was created');
  });

  it('remove-member takes a user out of a workspace; add-member changes a role', async () => {
    assert.equal((await cli('create-user', '--email', 'a@example.com', '--password', PASSWORD, '--workspace', 'Acme')).code, 0);
    assert.equal((await cli('create-user', '--email', 'b@example.com', '--password', PASSWORD, '--workspace', 'B')).code, 0);
    assert.equal((await cli('add-member', '--email', 'b@example.com', '--workspace', 'Acme', '--role', 'admin')).code, 0);
    const removed = await cli('remove-member', '--email', 'b@example.com', '--workspace', 'Acme');
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(JSON.parse(removed.stdout).removed, true);
    const again = await cli('remove-member', '--email', 'b@example.com', '--workspace', 'Acme');
    assert.equal(again.code, 2);
    assert.match(again.stderr, /not a member/);
    const users = (await cli('list-users')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(users[1].memberships.map((m: { workspace_name: string }) => m.workspace_name), ['B']);
    // The events the API would have recorded, with no request: webhooks and GET /v1/events see operators' changes too.
    const store = openAsyncSqliteStore(loadConfig({ DATA_DIR: dataDir }).databasePath);
    try {
      const acme = users[0].memberships[0].workspace_id as string;
      const events = await store.events.list(acme, {}, undefined, 10);
      assert.deepEqual(events.map((e) => [e.type, (e.data.object as { email: string }).email, e.request.id]).reverse(), [
        ['member.added', 'a@example.com', null],
        ['member.added', 'b@example.com', null],
        ['member.removed', 'b@example.com', null],
      ]);
    } finally {
      await store.close();
    }
  });

  const roles = async () => {
    const listed = await cli('list-users');
    assert.equal(listed.code, 0, listed.stderr);
    const users = listed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    return Object.fromEntries(
      users.map((u) => [u.email, u.memberships.map((m: { workspace_name: string; role: string }) => `${m.workspace_name}:${m.role}`)]),
    );
  };
  const refusedLastOwner = (exit: { code: number | null; stderr: string }) => {
    assert.equal(exit.code, 1, exit.stderr);
    assert.match(exit.stderr, /a@example\.com is the last owner of workspace Acme.*at least one owner/);
  };

  it('remove-member and add-member refuse to remove or demote the last owner: exit 1, a message, nothing changed', async () => {
    assert.equal((await cli('create-user', '--email', 'a@example.com', '--password', PASSWORD, '--workspace', 'Acme')).code, 0);
    refusedLastOwner(await cli('remove-member', '--email', 'a@example.com', '--workspace', 'Acme'));
    refusedLastOwner(await cli('add-member', '--email', 'a@example.com', '--workspace', 'Acme', '--role', 'admin'));
    refusedLastOwner(await cli('add-member', '--email', 'a@example.com', '--workspace', 'Acme'));
    assert.deepEqual(await roles(), { 'a@example.com': ['Acme:owner'] });
    assert.match((await cli('--help')).stdout, /always keeps at least one owner/);
  });

  it('with two owners, demoting one works and then demoting the other fails', async () => {
    assert.equal((await cli('create-user', '--email', 'a@example.com', '--password', PASSWORD, '--workspace', 'Acme')).code, 0);
    assert.equal((await cli('create-user', '--email', 'b@example.com', '--password', PASSWORD, '--workspace', 'B')).code, 0);
    assert.equal((await cli('add-member', '--email', 'b@example.com', '--workspace', 'Acme', '--role', 'owner')).code, 0);
    const demoted = await cli('add-member', '--email', 'b@example.com', '--workspace', 'Acme', '--role', 'member');
    assert.equal(demoted.code, 0, demoted.stderr);
    refusedLastOwner(await cli('add-member', '--email', 'a@example.com', '--workspace', 'Acme', '--role', 'member'));
    assert.deepEqual(await roles(), { 'a@example.com': ['Acme:owner'], 'b@example.com': ['B:owner', 'Acme:member'] });
  });

  it('two processes demoting the two owners at once leave one owner', async () => {
    assert.equal((await cli('create-user', '--email', 'a@example.com', '--password', PASSWORD, '--workspace', 'Acme')).code, 0);
    assert.equal((await cli('create-user', '--email', 'b@example.com', '--password', PASSWORD, '--workspace', 'Acme')).code, 0);
    const exits = await Promise.all(['a', 'b'].map((u) => cli('add-member', '--email', `${u}@example.com`, '--workspace', 'Acme', '--role', 'admin')));
    assert.deepEqual(exits.map((e) => e.code).sort(), [0, 1], exits.map((e) => e.stderr).join('\n'));
    const acme = Object.values(await roles()).flat();
    assert.equal(acme.filter((r) => r === 'Acme:owner').length, 1, acme.join(', '));
  });

  it('workspace names of only whitespace or with a control character are refused by create-user and add-member', async () => {
    assert.equal((await cli('create-user', '--email', 'a@example.com', '--password', PASSWORD, '--workspace', 'Acme')).code, 0);
    for (const name of ['   ', 'a\u0001b', 'a\u007fb']) {
      for (const args of [['create-user', '--email', 'b@example.com', '--password', PASSWORD, '--workspace', name],
        ['add-member', '--email', 'a@example.com', '--workspace', name]]) {
        const exit = await cli(...args);
        assert.equal(exit.code, 2, `${args[0]} ${JSON.stringify(name)}: ${exit.stderr}`);
        assert.match(exit.stderr, /^workspace name /);
      }
    }
    assert.deepEqual(await roles(), { 'a@example.com': ['Acme:owner'] });
  });

  it('create-user refuses a new workspace whose first member would not be its owner; an existing one takes admins and members', async () => {
    for (const role of ['admin', 'member']) {
      const exit = await cli('create-user', '--email', `${role}@example.com`, '--password', PASSWORD, '--workspace', 'New', '--role', role);
      assert.equal(exit.code, 2, exit.stderr);
      assert.match(exit.stderr, /role must be owner for a new workspace/);
    }
    assert.equal((await cli('create-user', '--email', 'o@example.com', '--password', PASSWORD, '--workspace', 'New')).code, 0);
    assert.equal((await cli('create-user', '--email', 'm@example.com', '--password', PASSWORD, '--workspace', 'New', '--role', 'member')).code, 0);
    assert.deepEqual(await roles(), { 'o@example.com': ['New:owner'], 'm@example.com': ['New:member'] });
  });
});
