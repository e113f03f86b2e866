import assert from 'node:assert/strict';
import type { Response, Test } from 'supertest';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import type { AsyncStore } from '../../src/store/ports';
import { bearer } from '../support/apiKeys';
import { WEBHOOK_ENV, eventsOf } from '../support/webhooks';
import { acceptHttp, inviteHttp, newEmail, rolesOf, teamOf } from '../support/teams';

/** Statuses of `responses`, sorted, for comparing as a multiset. */
const statuses = (responses: Response[]) => responses.map((r) => r.status).sort((x, y) => x - y);

type Owner = Awaited<ReturnType<typeof signedIn>>;

// Several rounds: one round can pass by luck of the scheduling.
const ROUNDS = 3;

/**
 * A store whose transactions, once armed, wait until `parties` of them are waiting (or 2 s): the
 * requests are all authenticated before any of them writes, the race the last-owner rule must win
 * however the requests interleave (on SQLite they otherwise run one after the other).
 */
function gate(parties: number) {
  let armed = false;
  let waiting: (() => void)[] = [];
  const open = () => {
    armed = false;
    for (const go of waiting.splice(0)) go();
  };
  const wrap = (real: AsyncStore): AsyncStore => ({
    ...real,
    transaction: (async (fn: Parameters<AsyncStore['transaction']>[0]) => {
      if (armed) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length >= parties) open();
          else setTimeout(open, 2000).unref();
        });
      }
      return real.transaction(fn);
    }) as AsyncStore['transaction'],
  });
  return { wrap, arm: () => void (armed = true) };
}

describe('members: concurrency (the last-owner rule, single-use tokens, one pending invitation)', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp(WEBHOOK_ENV);
  });

  /** Two owners of one workspace and a member who watches, signed in. */
  async function twoOwners() {
    const team = await teamOf(t);
    await t.http.patch(`/v1/members/${team.admin.userId}`).set(bearer(team.owner.auth)).send({ role: 'owner' }).expect(200);
    return { one: team.owner, two: team.admin, reader: team.member };
  }


  describe('the last-owner rule, both requests authenticated as owners before either writes', () => {
    let g: ReturnType<typeof gate>;
    beforeEach(() => {
      g = gate(2);
      t = makeTestApp(WEBHOOK_ENV, { store: g.wrap });
    });

    /** Sends both requests at once; asserts one `success` and one 409 last_owner, and one owner left. */
    async function race(send: (one: Owner, two: Owner) => [Test, Test], success: number[]) {
      const { one, two, reader } = await twoOwners();
      g.arm();
      const results = await Promise.all(send(one, two));
      const where = results.map((r) => `${r.status} ${JSON.stringify(r.body)}`).join(' | ');
      const refused = results.filter((r) => r.status === 409);
      assert.equal(refused.length, 1, where);
      expectError(refused[0], 409, 'last_owner');
      assert.ok(results.some((r) => success.includes(r.status)), where);
      const owners = await rolesOf(t, bearer(reader.auth), '?role=owner');
      assert.equal(Object.keys(owners).length, 1, `exactly one owner remains: ${JSON.stringify(owners)}`);
      return { one, two, results, owners };
    }

    it('updateMember: two owners demoting each other at once: exactly one 200 and one 409 last_owner; the refused one stays owner', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { one, two, results, owners } = await race(
          (one, two) => [
            t.http.patch(`/v1/members/${two.userId}`).set(bearer(one.auth)).send({ role: 'admin' }),
            t.http.patch(`/v1/members/${one.userId}`).set(bearer(two.auth)).send({ role: 'admin' }),
          ],
          [200],
        );
        const stayed = results[0].status === 409 ? two : one;
        assert.deepEqual(owners, { [stayed.userId]: 'owner' });
      }
    });

    it('deleteMember: two owners leaving at once: one 204, the other 409 last_owner', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { one, two, results, owners } = await race(
          (one, two) => [t.http.delete(`/v1/members/${one.userId}`).set(bearer(one.auth)), t.http.delete(`/v1/members/${two.userId}`).set(bearer(two.auth))],
          [204],
        );
        const stayed = results[0].status === 409 ? one : two;
        assert.deepEqual(owners, { [stayed.userId]: 'owner' });
      }
    });

    it('deleteMember and updateMember: an owner removing the other while being demoted by them: one 2xx, one 409 last_owner', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        await race(
          (one, two) => [
            t.http.delete(`/v1/members/${two.userId}`).set(bearer(one.auth)),
            t.http.patch(`/v1/members/${one.userId}`).set(bearer(two.auth)).send({ role: 'member' }),
          ],
          // Whichever commits first, the other finds the last owner: 204 or 200 beside the 409.
          [200, 204],
        );
      }
    });
  });

  it('acceptInvitation: 5 concurrent accepts of one token for a new email: exactly one 200, the others 401 invalid_invitation, one member.added', async () => {
    const owner = await signedIn(t);
    const invited = await inviteHttp(t, bearer(owner.auth));
    const results = await Promise.all(Array.from({ length: 5 }, () => acceptHttp(t, invited.token)));
    assert.deepEqual(statuses(results), [200, 401, 401, 401, 401], results.map((r) => JSON.stringify(r.body)).join(' | '));
    for (const r of results.filter((x) => x.status === 401)) expectError(r, 401, 'invalid_invitation');

    const me = (await t.http.get('/v1/me').set(bearer(`Bearer ${results.find((r) => r.status === 200)!.body.data.access_token}`)).expect(200)).body.data;
    const members = await rolesOf(t, bearer(owner.auth));
    assert.deepEqual(members, { [owner.userId]: 'owner', [me.user.id]: 'member' });
    const added = (await eventsOf(t, bearer(owner.auth), '?type=member.added')).filter((e) => e.data.object.email === invited.email);
    assert.equal(added.length, 1);
    assert.equal(added[0].data.object.user_id, me.user.id);
    assert.equal((await eventsOf(t, bearer(owner.auth), '?type=invitation.accepted')).length, 1);
  });

  it('acceptInvitation: 5 concurrent accepts of one token for an existing account: exactly one 200, one membership', async () => {
    const owner = await signedIn(t);
    const elsewhere = await signedIn(t);
    const invited = await inviteHttp(t, bearer(owner.auth), { email: elsewhere.email, role: 'admin' });
    const results = await Promise.all(Array.from({ length: 5 }, () => acceptHttp(t, invited.token, elsewhere.password)));
    assert.deepEqual(statuses(results), [200, 401, 401, 401, 401], results.map((r) => JSON.stringify(r.body)).join(' | '));
    for (const r of results.filter((x) => x.status === 401)) expectError(r, 401, 'invalid_invitation');
    assert.deepEqual(await rolesOf(t, bearer(owner.auth)), { [owner.userId]: 'owner', [elsewhere.userId]: 'admin' });
    const added = (await eventsOf(t, bearer(owner.auth), '?type=member.added')).filter((e) => e.data.object.user_id === elsewhere.userId);
    assert.equal(added.length, 1);
  });

  it('deleteInvitation and acceptInvitation at once: exactly one wins (204 and 401, or 404 and 200), and the state agrees', async () => {
    const owner = await signedIn(t);
    for (let round = 0; round < ROUNDS; round++) {
      const invited = await inviteHttp(t, bearer(owner.auth));
      const [revoke, accept] = await Promise.all([t.http.delete(`/v1/invitations/${invited.id}`).set(bearer(owner.auth)), acceptHttp(t, invited.token)]);
      const emails = (await t.http.get('/v1/members').set(bearer(owner.auth)).expect(200)).body.data.map((m: { email: string }) => m.email);
      if (revoke.status === 204) {
        expectError(accept, 401, 'invalid_invitation');
        assert.ok(!emails.includes(invited.email));
      } else {
        expectError(revoke, 404, 'not_found');
        assert.equal(accept.status, 200, JSON.stringify(accept.body));
        assert.ok(emails.includes(invited.email));
      }
    }
  });

  it('acceptInvitation: one new email invited to two workspaces, both accepted at once: one account in both (a 503 with Retry-After at most, which a retry settles)', async () => {
    const a = await signedIn(t);
    const b = await signedIn(t);
    for (let round = 0; round < ROUNDS; round++) {
      const email = newEmail('both');
      const tokens = [(await inviteHttp(t, bearer(a.auth), { email })).token, (await inviteHttp(t, bearer(b.auth), { email })).token];
      const first = await Promise.all(tokens.map((token) => acceptHttp(t, token)));
      // Both may create the account: the loser writes nothing and asks for a retry, which then
      // checks the password against the account the winner created.
      const final = [];
      for (const [i, res] of first.entries()) {
        if (res.status === 503) {
          expectError(res, 503, 'service_unavailable');
          assert.equal(res.headers['retry-after'], '1');
          final.push(await acceptHttp(t, tokens[i]));
        } else final.push(res);
      }
      assert.deepEqual(statuses(final), [200, 200], final.map((r) => JSON.stringify(r.body)).join(' | '));
      const users = await Promise.all(final.map(async (r) => (await t.http.get('/v1/me').set(bearer(`Bearer ${r.body.data.access_token}`)).expect(200)).body.data));
      assert.equal(users[0].user.id, users[1].user.id, 'one account');
      assert.deepEqual(users.map((u) => u.workspace.id), [a.workspaceId, b.workspaceId]);
      assert.equal(users[0].memberships.length, 2);
    }
  });

  it('createInvitation: two concurrent invitations of one email (in different letter case): one 201, one 409 already_invited', async () => {
    const owner = await signedIn(t);
    for (let round = 0; round < ROUNDS; round++) {
      const email = newEmail('twice');
      const results = await Promise.all([
        t.http.post('/v1/invitations').set(bearer(owner.auth)).send({ email, role: 'member' }),
        t.http.post('/v1/invitations').set(bearer(owner.auth)).send({ email: email.toUpperCase(), role: 'admin' }),
      ]);
      assert.deepEqual(statuses(results), [201, 409], results.map((r) => JSON.stringify(r.body)).join(' | '));
      expectError(results.find((r) => r.status === 409)!, 409, 'already_invited');
    }
    const pending = (await t.http.get('/v1/invitations').set(bearer(owner.auth)).expect(200)).body.data;
    assert.equal(pending.length, ROUNDS);
    assert.equal(new Set(pending.map((i: { email: string }) => i.email)).size, ROUNDS);
  });
});
