import assert from 'node:assert/strict';
import { openPgStore, type PgStore } from '../../../src/store/postgres';
import { postgres } from './engines';
import { testSchema } from '../../support/postgres';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (at most 5 s) for `check` to hold; returns the milliseconds it took (a few under load). */
async function within(check: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > 5_000) assert.fail(`not within 5 s: ${what}`);
    await sleep(5);
  }
  return Date.now() - started;
}

// Two stores on one schema are two instances: what one changes, the other's cache forgets (NOTIFY).
(postgres ? describe : describe.skip)('store engines: the PostgreSQL authentication cache (two instances)', () => {
  let schema: Awaited<ReturnType<typeof testSchema>>;
  let a: PgStore;
  let b: PgStore;
  const future = () => new Date(Date.now() + 3600_000).toISOString();
  const now = () => new Date().toISOString();
  beforeEach(async () => {
    schema = await testSchema(process.env.DATABASE_URL!);
    a = await openPgStore(schema.url, { max: 2 });
    b = await openPgStore(schema.url, { max: 2 });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await schema.drop();
  });

  /** A member's session, remembered by `b`: a change by hand (outside the store) is not seen there. */
  async function cachedSession() {
    const ws = await a.identity.createWorkspace('W');
    const owner = await a.identity.createUser('o@example.com', 'h');
    await a.identity.setMembership(owner.id, ws.id, 'owner');
    const user = await a.identity.createUser('u@example.com', 'h');
    await a.identity.setMembership(user.id, ws.id, 'admin');
    // The first lookup opens the listener; a row is remembered only once it listens (a new session
    // each try: a failed try may have remembered the changed row).
    let session = await a.sessions.create(user.id, ws.id, future());
    await within(async () => {
      session = await a.sessions.create(user.id, ws.id, future());
      await b.sessions.findActive(session.id, now());
      await schema.admin.query(`UPDATE ${schema.schema}.memberships SET role = 'member' WHERE user_id = $1`, [user.id]);
      const remembered = (await b.sessions.findActive(session.id, now()))?.role === 'admin';
      await schema.admin.query(`UPDATE ${schema.schema}.memberships SET role = 'admin' WHERE user_id = $1`, [user.id]);
      return remembered;
    }, 'b remembers the session');
    return { ws, user, session };
  }

  it('a role change, a removal, a logout and the end of all sessions made on one instance reach the other', async () => {
    const { ws, user, session } = await cachedSession();
    await a.identity.setMembership(user.id, ws.id, 'member');
    await within(async () => (await b.sessions.findActive(session.id, now()))?.role === 'member', 'demotion seen by b');
    await a.identity.removeMembership(user.id, ws.id);
    await within(async () => (await b.sessions.findActive(session.id, now())) === undefined, 'removal seen by b');
    // The removal ended the session: a membership given back does not revive it (#25).
    await a.identity.setMembership(user.id, ws.id, 'member');
    const again = await a.sessions.create(user.id, ws.id, future());
    await within(async () => (await b.sessions.findActive(again.id, now()))?.role === 'member', 'membership back, new session');
    assert.equal(await b.sessions.findActive(session.id, now()), undefined, 'the removed session stays ended');
    await a.sessions.revoke(again.id, 'logout');
    await within(async () => (await b.sessions.findActive(again.id, now())) === undefined, 'logout seen by b');
    const other = await a.sessions.create(user.id, ws.id, future());
    await within(async () => (await b.sessions.findActive(other.id, now()))?.role === 'member', 'second session');
    await a.sessions.revokeAllForUser(user.id, 'password_changed');
    await within(async () => (await b.sessions.findActive(other.id, now())) === undefined, 'all sessions ended, seen by b');
  });

  it('the instance that makes the change sees it at once; a remembered session still ends at its expiry', async () => {
    const { ws, user, session } = await cachedSession();
    await b.identity.setMembership(user.id, ws.id, 'member');
    assert.equal((await b.sessions.findActive(session.id, now()))?.role, 'member');
    assert.equal(await b.sessions.findActive(session.id, future()), undefined);
    await b.sessions.revoke(session.id, 'logout');
    assert.equal(await b.sessions.findActive(session.id, now()), undefined);
  });

  it('an API key revoked or rotated on one instance is seen so on the other', async () => {
    const ws = await a.identity.createWorkspace('W');
    const secret = (n: number) => ({ hash: Buffer.alloc(32, n), prefix: `cp_live_${n}`, last4: `000${n}` });
    let n = 0;
    let key = await a.apiKeys.create(ws.id, { name: 'k', scopes: ['projects:read'], expiresAt: null, createdBy: 'usr_x' }, secret(++n));
    await within(async () => {
      key = await a.apiKeys.create(ws.id, { name: 'k', scopes: ['projects:read'], expiresAt: null, createdBy: 'usr_x' }, secret(++n));
      await b.apiKeys.findBySecretHash(secret(n).hash);
      await schema.admin.query(`UPDATE ${schema.schema}.api_keys SET revoked_at = now() WHERE id = $1`, [key.id]);
      const remembered = (await b.apiKeys.findBySecretHash(secret(n).hash))?.revoked_at === null;
      await schema.admin.query(`UPDATE ${schema.schema}.api_keys SET revoked_at = NULL WHERE id = $1`, [key.id]);
      return remembered;
    }, 'b remembers the key');
    const first = n;
    const until = new Date(Date.now() + 60_000).toISOString();
    await a.apiKeys.rotate(ws.id, key.id, secret(100), until);
    await within(async () => (await b.apiKeys.findBySecretHash(secret(first).hash))?.secret_expires_at === until, 'rotation seen by b');
    await a.apiKeys.revoke(ws.id, key.id);
    await within(async () => (await b.apiKeys.findBySecretHash(secret(first).hash))?.revoked_at !== null, 'revocation seen by b');
  });
});
