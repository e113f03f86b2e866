import assert from 'node:assert/strict';
import { openAsyncSqliteStore as openStore } from '../../src/store/sqlite/async';
import { createUserInWorkspace } from '../../src/identity/users';
import { InvalidInputError } from '../../src/identity/inputRules';
import { passwordProblem, MAX_PASSWORD_BYTES } from '../../src/auth/passwordPolicy';

// Issue #11 items 5 and 6: what the CLI and the first start may create.

const GOOD = 'correct horse battery staple';

async function refused(opts: { email?: string; password?: string; workspace?: string }, field: string, problem: RegExp) {
  const store = openStore(':memory:');
  await assert.rejects(
    createUserInWorkspace(store, {
      email: opts.email ?? 'ana@example.com',
      password: opts.password ?? GOOD,
      workspace: opts.workspace ?? 'Acme',
      role: 'owner',
      passwordHashCost: 10,
    }),
    (err: unknown) => err instanceof InvalidInputError && err.field === field && problem.test(err.message),
  );
  assert.equal(await store.identity.countUsers(), 0, 'nothing is created');
}

describe('identity: createUserInWorkspace (operator CLI, first start)', () => {
  it('accepts what login and getMe can serve', async () => {
    const store = openStore(':memory:');
    const created = await createUserInWorkspace(store, {
      email: 'Ana.Lopez+ops@example.com',
      password: GOOD,
      workspace: 'w'.repeat(100),
      role: 'owner',
      passwordHashCost: 10,
    });
    assert.match(created.user_id, /^usr_/);
  });

  it("refuses emails that login's schema refuses (a..b@x.test, ü@x.test), which could never log in", async () => {
    for (const email of ['a..b@x.test', 'ü@x.test', 'no-at-sign', `${'a'.repeat(250)}@x.test`, 'x\ud800@x.test']) {
      await refused({ email }, 'email', /^email /);
    }
  });

  it('refuses a workspace name the contract cannot return (over 100 characters, empty, lone surrogate)', async () => {
    for (const workspace of ['w'.repeat(101), 'w'.repeat(150), '', 'Acme \udc00']) {
      await refused({ workspace }, 'workspaceName', /^workspace name /);
    }
  });

  it('refuses passwords NIST SP 800-63B rules out: short, common, repeated, the email itself', async () => {
    const cases: [string, RegExp][] = [
      ['password', /at least 12/],
      ['12345678', /at least 12/],
      [' '.repeat(8), /at least 12/],
      [' '.repeat(12), /one character repeated/],
      ['qwerty123456', /common/],
      ['Password1234', /common/],
      ['ana@example.com', /email/],
      ['é'.repeat(513), /at most 1024 bytes/],
    ];
    for (const [password, problem] of cases) await refused({ password }, 'password', problem);
  });
});

describe('auth: passwordProblem', () => {
  it('has no composition rules: a long lowercase passphrase is fine, and the minimum is configurable', () => {
    assert.equal(passwordProblem('correct horse battery staple', { minLength: 12 }), undefined);
    assert.equal(passwordProblem('four words ok', { minLength: 12 }), undefined);
    assert.match(passwordProblem('four words ok', { minLength: 16 })!, /at least 16/);
  });

  it('counts characters, not UTF-16 units, and caps bytes at the maximum', () => {
    assert.match(passwordProblem('🚀'.repeat(11), { minLength: 12 })!, /at least 12/);
    assert.equal(passwordProblem('🚀'.repeat(12) + 'x', { minLength: 12 }), undefined);
    assert.equal(passwordProblem('a' + 'b'.repeat(MAX_PASSWORD_BYTES - 1), { minLength: 12 }), undefined);
    assert.match(passwordProblem('a' + 'b'.repeat(MAX_PASSWORD_BYTES), { minLength: 12 })!, /at most/);
  });
});
