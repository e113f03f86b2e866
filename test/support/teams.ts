import assert from 'node:assert/strict';
import { signedIn, type TestApp } from '../helpers';
import type { Cred } from './apiKeys';
import type { Role } from '../../src/auth/scopes';

export const INVITATION_TOKEN = /^cpi_[A-Za-z0-9_-]{43}$/;
export const INVITATION_ID = /^inv_[0-9A-HJKMNP-TV-Z]{26}$/;
/** Long enough and not a common password: the password policy accepts it. */
export const GOOD_PASSWORD = 'violet-harbor-lantern-93';

export interface Invited {
  id: string;
  token: string;
  email: string;
  role: Role;
}

let counter = 0;
/** A fresh email no test used before. */
export const newEmail = (label = 'invitee') => `${label}-${process.pid}-${++counter}@example.com`;

/** POST /v1/invitations as `cred`, expecting 201; the invitation with its token. */
export async function inviteHttp(t: TestApp, cred: Cred, opts: { email?: string; role?: Role } = {}): Promise<Invited> {
  const email = opts.email ?? newEmail();
  const role = opts.role ?? 'member';
  const res = await t.http.post('/v1/invitations').set(cred).send({ email, role });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.match(res.body.data.token, INVITATION_TOKEN);
  return { id: res.body.data.id, token: res.body.data.token, email, role };
}

/** POST /v1/invitations/accept, whatever the answer. */
export const acceptHttp = (t: TestApp, token: string, password = GOOD_PASSWORD) =>
  t.http.post('/v1/invitations/accept').send({ token, password });

/** Invites a new email with `role` and accepts: the newcomer, signed in to the inviter's workspace. */
export async function joinHttp(t: TestApp, cred: Cred, role: Role = 'member') {
  const invited = await inviteHttp(t, cred, { role });
  const res = await acceptHttp(t, invited.token);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const me = await t.http.get('/v1/me').set('Authorization', `Bearer ${res.body.data.access_token}`).expect(200);
  return {
    email: invited.email,
    password: GOOD_PASSWORD,
    userId: me.body.data.user.id as string,
    workspaceId: me.body.data.workspace.id as string,
    tokens: res.body.data as { access_token: string; refresh_token: string },
    auth: `Bearer ${res.body.data.access_token}`,
  };
}

let teams = 0;
/**
 * A workspace with an owner, an admin and a member, each signed in (`auth`, `tokens`), made through
 * the store as the CLI would (faster than three invitations).
 */
export async function teamOf(t: TestApp) {
  const workspace = `Team ${process.pid} ${++teams}`;
  const owner = await signedIn(t, { workspace, role: 'owner' });
  const admin = await signedIn(t, { workspace, role: 'admin' });
  const member = await signedIn(t, { workspace, role: 'member' });
  return { workspace, owner, admin, member };
}

/** Member ids of `GET /v1/members` (first page, as `cred`), with their roles. */
export async function rolesOf(t: TestApp, cred: Cred, query = ''): Promise<Record<string, Role>> {
  const res = await t.http.get(`/v1/members${query}`).set(cred);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return Object.fromEntries(res.body.data.map((m: { user_id: string; role: Role }) => [m.user_id, m.role]));
}
