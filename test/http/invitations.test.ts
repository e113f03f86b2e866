import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer } from '../support/apiKeys';
import { ISO_MS } from '../support/projects';
import { WEBHOOK_ENV, eventsOf } from '../support/webhooks';
import { acceptHttp, GOOD_PASSWORD, INVITATION_ID, INVITATION_TOKEN, inviteHttp, newEmail, rolesOf } from '../support/teams';

const DAY_MS = 86_400_000;
const INVITATION_FIELDS = ['created_at', 'email', 'expires_at', 'id', 'invited_by', 'role', 'status'];
/** Well-formed, but no invitation has it. */
const UNKNOWN_TOKEN = `cpi_${'A'.repeat(43)}`;
const UNKNOWN_INVITATION_ID = 'inv_01JD3Y8N6V4Q2X7R5T9W1K3M63';

type Owner = Awaited<ReturnType<typeof signedIn>>;

/** Moves an invitation's expiry into the past, in the app's database (either engine). */
async function expire(t: TestApp, id: string) {
  const rows = await t.rows(`UPDATE invitations SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = '${id}' RETURNING id`);
  assert.equal(rows.length, 1);
}

const pendingIds = async (t: TestApp, owner: Owner) =>
  (await t.http.get('/v1/invitations').set(bearer(owner.auth)).expect(200)).body.data.map((i: { id: string }) => i.id);

/** 400 validation_failed whose details say weak_password for the password. */
function expectWeakPassword(res: Parameters<typeof expectError>[0]) {
  const err = expectError(res, 400, 'validation_failed');
  const detail = (err.details as { code: string; pointer?: string }[]).find((d) => d.code === 'weak_password');
  assert.ok(detail, JSON.stringify(err.details));
  assert.equal(detail.pointer, '/body/password');
}

describe('invitations (createInvitation, listInvitations, deleteInvitation, acceptInvitation)', () => {
  let t: TestApp;
  let owner: Owner;
  beforeEach(async () => {
    t = makeTestApp(WEBHOOK_ENV);
    owner = await signedIn(t);
  });

  describe('createInvitation', () => {
    it('createInvitation: 201 with the invitation and its token, Location, Cache-Control: no-store, 7 days to expire', async () => {
      const email = newEmail('Mixed.Case').replace('@example.com', '@Example.COM');
      const res = await t.http.post('/v1/invitations').set(bearer(owner.auth)).send({ email, role: 'admin' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const inv = res.body.data;
      assert.deepEqual(Object.keys(inv).sort(), [...INVITATION_FIELDS, 'token'].sort());
      assert.match(inv.id, INVITATION_ID);
      assert.match(inv.token, INVITATION_TOKEN);
      assert.equal(inv.email, email.toLowerCase());
      assert.equal(inv.role, 'admin');
      assert.equal(inv.status, 'pending');
      assert.equal(inv.invited_by, owner.userId);
      assert.match(inv.created_at, ISO_MS);
      assert.match(inv.expires_at, ISO_MS);
      assert.equal(Date.parse(inv.expires_at) - Date.parse(inv.created_at), 7 * DAY_MS);
      assert.equal(res.headers.location, `/v1/invitations/${inv.id}`);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    it('createInvitation: INVITATION_TTL_SECONDS sets the expiry', async () => {
      const short = makeTestApp({ INVITATION_TTL_SECONDS: '60' });
      const o = await signedIn(short);
      const inv = (await short.http.post('/v1/invitations').set(bearer(o.auth)).send({ email: newEmail(), role: 'member' }).expect(201)).body.data;
      assert.equal(Date.parse(inv.expires_at) - Date.parse(inv.created_at), 60_000);
    });

    it('createInvitation: the token appears nowhere after creation: not in listInvitations, events or the log', async () => {
      const invited = await inviteHttp(t, bearer(owner.auth));
      const listed = (await t.http.get('/v1/invitations').set(bearer(owner.auth)).expect(200)).body.data;
      assert.deepEqual(Object.keys(listed[0]).sort(), INVITATION_FIELDS);
      const created = await eventsOf(t, bearer(owner.auth), '?type=invitation.created');
      assert.equal(created.length, 1);
      assert.equal(created[0].data.object.id, invited.id);
      for (const text of [JSON.stringify(listed), JSON.stringify(await eventsOf(t, bearer(owner.auth))), t.rawLog()]) {
        assert.ok(!text.includes(invited.token), 'token leaked');
        assert.ok(!text.includes(invited.token.slice(4)), 'token body leaked');
      }
    });

    it('createInvitation: a retry with the same Idempotency-Key replays the same token (Idempotent-Replayed: true), one invitation', async () => {
      const email = newEmail('idem');
      const send = () => t.http.post('/v1/invitations').set(bearer(owner.auth)).set('Idempotency-Key', 'invite-once-1').send({ email, role: 'member' });
      const first = await send();
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const retry = await send();
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.deepEqual(retry.body, first.body);
      assert.deepEqual(await pendingIds(t, owner), [first.body.data.id]);
      assert.equal((await eventsOf(t, bearer(owner.auth), '?type=invitation.created')).length, 1);
    });

    it('createInvitation: 409 already_member for a member (any letter case), 409 already_invited for a pending email', async () => {
      const err = expectError(await t.http.post('/v1/invitations').set(bearer(owner.auth)).send({ email: owner.email.toUpperCase(), role: 'member' }), 409, 'already_member');
      assert.deepEqual(err.details, [{ pointer: '/body/email', code: 'already_member', message: 'already a member' }]);
      const invited = await inviteHttp(t, bearer(owner.auth));
      expectError(await t.http.post('/v1/invitations').set(bearer(owner.auth)).send({ email: invited.email, role: 'admin' }), 409, 'already_invited');
      assert.deepEqual(await pendingIds(t, owner), [invited.id]);
    });

    it('createInvitation: the same email can be invited again after a revoke or an expiry, and only the new token works', async () => {
      const first = await inviteHttp(t, bearer(owner.auth));
      await t.http.delete(`/v1/invitations/${first.id}`).set(bearer(owner.auth)).expect(204);
      const second = await inviteHttp(t, bearer(owner.auth), { email: first.email });
      await expire(t, second.id);
      const third = await inviteHttp(t, bearer(owner.auth), { email: first.email, role: 'admin' });
      assert.deepEqual(await pendingIds(t, owner), [third.id]);
      expectError(await acceptHttp(t, first.token), 401, 'invalid_invitation');
      expectError(await acceptHttp(t, second.token), 401, 'invalid_invitation');
      await acceptHttp(t, third.token).expect(200);
    });
  });

  describe('listInvitations and deleteInvitation', () => {
    it('listInvitations: only pending ones, newest first: not revoked, accepted or expired', async () => {
      const cred = bearer(owner.auth);
      const [revoked, accepted, expired, pending1, pending2] = [await inviteHttp(t, cred), await inviteHttp(t, cred), await inviteHttp(t, cred), await inviteHttp(t, cred), await inviteHttp(t, cred)];
      await t.http.delete(`/v1/invitations/${revoked.id}`).set(cred).expect(204);
      await acceptHttp(t, accepted.token).expect(200);
      await expire(t, expired.id);
      assert.deepEqual(await pendingIds(t, owner), [pending2.id, pending1.id]);
    });

    it('deleteInvitation: 204, then 404 not_found; the token stops working; 404 for an accepted, expired or unknown one', async () => {
      const cred = bearer(owner.auth);
      const invited = await inviteHttp(t, cred);
      await t.http.delete(`/v1/invitations/${invited.id}`).set(cred).expect(204);
      expectError(await t.http.delete(`/v1/invitations/${invited.id}`).set(cred), 404, 'not_found');
      expectError(await acceptHttp(t, invited.token), 401, 'invalid_invitation');

      const accepted = await inviteHttp(t, cred);
      await acceptHttp(t, accepted.token).expect(200);
      expectError(await t.http.delete(`/v1/invitations/${accepted.id}`).set(cred), 404, 'not_found');
      const expired = await inviteHttp(t, cred);
      await expire(t, expired.id);
      expectError(await t.http.delete(`/v1/invitations/${expired.id}`).set(cred), 404, 'not_found');
      expectError(await t.http.delete(`/v1/invitations/${UNKNOWN_INVITATION_ID}`).set(cred), 404, 'not_found');
    });
  });

  describe('acceptInvitation', () => {
    it('acceptInvitation: an existing account of another workspace joins with its own password, and keeps both workspaces', async () => {
      const elsewhere = await signedIn(t);
      const invited = await inviteHttp(t, bearer(owner.auth), { email: elsewhere.email.toUpperCase(), role: 'admin' });
      expectError(await acceptHttp(t, invited.token, GOOD_PASSWORD), 401, 'invalid_invitation');
      const res = await acceptHttp(t, invited.token, elsewhere.password);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.headers['cache-control'], 'no-store');
      const me = (await t.http.get('/v1/me').set(bearer(`Bearer ${res.body.data.access_token}`)).expect(200)).body.data;
      assert.equal(me.user.id, elsewhere.userId, 'no second account');
      assert.equal(me.workspace.id, owner.workspaceId);
      assert.equal(me.role, 'admin');
      assert.deepEqual(
        me.memberships.map((m: { workspace_id: string; role: string }) => `${m.workspace_id} ${m.role}`).sort(),
        [`${owner.workspaceId} admin`, `${elsewhere.workspaceId} owner`].sort(),
      );
      const switched = await t.http.post('/v1/auth/switch').set(bearer(`Bearer ${res.body.data.access_token}`)).send({ workspace_id: elsewhere.workspaceId });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      // The account's password is unchanged: the old one still logs in.
      await t.http.post('/v1/auth/login').send({ email: elsewhere.email, password: elsewhere.password }).expect(200);
    });

    it('acceptInvitation: a new account gets the password it accepted with', async () => {
      const invited = await inviteHttp(t, bearer(owner.auth));
      await acceptHttp(t, invited.token, GOOD_PASSWORD).expect(200);
      const login = await t.http.post('/v1/auth/login').send({ email: invited.email, password: GOOD_PASSWORD });
      assert.equal(login.status, 200, JSON.stringify(login.body));
    });

    it('acceptInvitation: 401 invalid_invitation, alike, for an unknown, used, revoked or expired token and a wrong password', async () => {
      const cred = bearer(owner.auth);
      const elsewhere = await signedIn(t);
      const wrongPassword = await inviteHttp(t, cred, { email: elsewhere.email });
      const used = await inviteHttp(t, cred);
      await acceptHttp(t, used.token).expect(200);
      const revoked = await inviteHttp(t, cred);
      await t.http.delete(`/v1/invitations/${revoked.id}`).set(cred).expect(204);
      const expired = await inviteHttp(t, cred);
      await expire(t, expired.id);
      const answers = [
        await acceptHttp(t, UNKNOWN_TOKEN),
        await acceptHttp(t, 'not-even-a-token'),
        await acceptHttp(t, used.token),
        await acceptHttp(t, revoked.token),
        await acceptHttp(t, expired.token),
        await acceptHttp(t, wrongPassword.token, 'not the password at all'),
      ].map((res) => {
        const err = expectError(res, 401, 'invalid_invitation');
        return JSON.stringify({ message: err.message, details: err.details });
      });
      assert.equal(new Set(answers).size, 1, `the answers differ: ${answers.join(' | ')}`);
      assert.equal(Object.keys(await rolesOf(t, cred)).length, 2, 'only the used token joined');
      await acceptHttp(t, wrongPassword.token, elsewhere.password).expect(200);
    });

    it('acceptInvitation: 400 validation_failed weak_password for a new account\'s weak password; the token stays usable', async () => {
      const invited = await inviteHttp(t, bearer(owner.auth));
      for (const weak of ['password', 'short', 'aaaaaaaaaaaaaaaa', invited.email]) expectWeakPassword(await acceptHttp(t, invited.token, weak));
      assert.equal(Object.keys(await rolesOf(t, bearer(owner.auth))).length, 1, 'nobody joined');
      await acceptHttp(t, invited.token, GOOD_PASSWORD).expect(200);
      // Only a valid token reaches the password policy: an unknown one tells nothing.
      expectError(await acceptHttp(t, UNKNOWN_TOKEN, 'short'), 401, 'invalid_invitation');
    });

    it('acceptInvitation: the events (invitation.created, accepted, revoked, member.added) carry no token, password or hash', async () => {
      const cred = bearer(owner.auth);
      const joining = await inviteHttp(t, cred);
      const revoked = await inviteHttp(t, cred);
      await t.http.delete(`/v1/invitations/${revoked.id}`).set(cred).expect(204);
      await acceptHttp(t, joining.token, GOOD_PASSWORD).expect(200);
      const events = await eventsOf(t, cred);
      const types = events.map((e) => e.type);
      for (const type of ['invitation.created', 'invitation.accepted', 'invitation.revoked', 'member.added']) assert.ok(types.includes(type), type);
      const accepted = events.find((e) => e.type === 'invitation.accepted');
      assert.equal(accepted.data.object.id, joining.id);
      assert.equal(accepted.data.object.status, 'accepted');
      assert.equal(events.find((e) => e.type === 'invitation.revoked').data.object.status, 'revoked');
      const text = JSON.stringify(events);
      for (const secret of [joining.token, revoked.token, GOOD_PASSWORD]) assert.ok(!text.includes(secret));
      assert.doesNotMatch(text, /token|password|hash|scrypt/i);
      assert.ok(!t.rawLog().includes(GOOD_PASSWORD) && !t.rawLog().includes(joining.token));
    });

    it('acceptInvitation: per-token limit: 5 tries of one token, the 6th is 429 rate_limited even with the right password; other tokens unaffected', async () => {
      const cred = bearer(owner.auth);
      const elsewhere = await signedIn(t);
      const target = await inviteHttp(t, cred, { email: elsewhere.email });
      const other = await inviteHttp(t, cred);
      for (let i = 1; i <= 5; i++) expectError(await acceptHttp(t, target.token, `wrong password number ${i}`), 401, 'invalid_invitation');
      const err = expectError(await acceptHttp(t, target.token, elsewhere.password), 429, 'rate_limited');
      assert.match(JSON.stringify(err.details), /invitation-accept-token/);
      await acceptHttp(t, other.token).expect(200);
      assert.equal((await rolesOf(t, cred))[elsewhere.userId], undefined, 'the limited token did not join');
    });

    it('acceptInvitation: per-IP limit: 20 tries a minute from one address whatever the token, the 21st is 429 rate_limited', async () => {
      const invited = await inviteHttp(t, bearer(owner.auth));
      // Each try a different unknown token: the per-token limit never applies.
      for (let i = 0; i < 20; i++) expectError(await acceptHttp(t, `cpi_${String(i).padStart(43, 'x')}`), 401, 'invalid_invitation');
      const err = expectError(await acceptHttp(t, invited.token), 429, 'rate_limited');
      assert.match(JSON.stringify(err.details), /invitation-accept-ip/);
      assert.match(err.message, /invitation-accept-ip/);
    });
  });
});
