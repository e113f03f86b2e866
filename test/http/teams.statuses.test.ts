import assert from 'node:assert/strict';
import { expectError, signedIn, type TestApp } from '../helpers';
import { makeAppWith } from '../support/app';
import { bearer, type Cred } from '../support/apiKeys';
import { appFromSpec, removeSpecCopies, specCopy } from '../support/specCopy';
import { failingMethod } from '../support/storeHooks';
import { GOOD_PASSWORD, newEmail } from '../support/teams';
import type { AsyncStore } from '../../src/store/ports';

/** Well-formed ids nothing has: enough where the request fails before it finds anything. */
const UNKNOWN = {
  user: 'usr_01JD3Y8N6V4Q2X7R5T9W1K3M5V',
  invitation: 'inv_01JD3Y8N6V4Q2X7R5T9W1K3M5W',
  workspace: 'ws_01JD3Y8N6V4Q2X7R5T9W1K3M5X',
  token: `cpi_${'A'.repeat(43)}`,
};

interface Call {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  body?: () => Record<string, unknown>;
  /** Needs no credential (the token in the body is the credential). */
  anonymous?: boolean;
}

const CALLS: Call[] = [
  { operationId: 'listMembers', method: 'get', path: '/v1/members' },
  { operationId: 'getMember', method: 'get', path: `/v1/members/${UNKNOWN.user}` },
  { operationId: 'updateMember', method: 'patch', path: `/v1/members/${UNKNOWN.user}`, body: () => ({ role: 'member' }) },
  { operationId: 'deleteMember', method: 'delete', path: `/v1/members/${UNKNOWN.user}` },
  { operationId: 'listInvitations', method: 'get', path: '/v1/invitations' },
  { operationId: 'createInvitation', method: 'post', path: '/v1/invitations', body: () => ({ email: newEmail('statuses'), role: 'member' }) },
  { operationId: 'deleteInvitation', method: 'delete', path: `/v1/invitations/${UNKNOWN.invitation}` },
  { operationId: 'switchWorkspace', method: 'post', path: '/v1/auth/switch', body: () => ({ workspace_id: UNKNOWN.workspace }) },
  { operationId: 'acceptInvitation', method: 'post', path: '/v1/invitations/accept', body: () => ({ token: UNKNOWN.token, password: GOOD_PASSWORD }), anonymous: true },
];

function send(t: TestApp, call: Call, cred: Cred) {
  let req = t.http[call.method](call.path);
  if (!call.anonymous) req = req.set(cred);
  return call.body ? req.send(call.body()) : req;
}

/**
 * The store methods each operation reads first, failing while `failing.on` is set (signing in,
 * which uses some of them, comes before): the handlers' own store calls, not authentication's.
 */
function failingTeamStore(failing: { on: boolean }) {
  const when = () => failing.on;
  const wraps = [
    ...(['listMembers', 'getMember', 'getMemberForUpdate', 'membershipsOf', 'findUserByEmail'] as const).map((m) =>
      failingMethod('identity', m, 'secret internal detail', when),
    ),
    ...(['listPending', 'create', 'revoke', 'findByTokenHash'] as const).map((m) =>
      failingMethod('invitations', m, 'secret internal detail', when),
    ),
  ];
  return (real: AsyncStore) => wraps.reduce((store, wrap) => wrap(store), real);
}

describe('member, invitation and workspace-switch operations: statuses of the shared rules', () => {
  after(removeSpecCopies);

  it('each: 429 rate_limited past its declared limit (a copy of the contract allowing one request each)', async () => {
    // acceptInvitation's two policies (per IP, per token) have tests of their own in invitations.test.ts.
    const calls = CALLS.filter((c) => !c.anonymous);
    const path = specCopy((doc) => {
      for (const call of calls) {
        for (const item of Object.values<any>(doc.paths)) {
          const op = item[call.method];
          if (op?.operationId === call.operationId) op['x-rate-limit'] = { group: `one-${call.operationId.toLowerCase()}`, limit: 1, window: 60 };
        }
      }
    });
    const t = appFromSpec(path);
    const owner = await signedIn(t);
    for (const call of calls) {
      const first = await send(t, call, bearer(owner.auth));
      assert.notEqual(first.status, 429, `${call.operationId}: the first request is within the limit`);
      const res = await send(t, call, bearer(owner.auth));
      const err = expectError(res, 429, 'rate_limited');
      const group = `one-${call.operationId.toLowerCase()}`;
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: `"${group}";q=1;w=60` }], call.operationId);
      assert.ok(Number(res.headers['retry-after']) > 0, call.operationId);
    }
  });

  it('each: 500 internal_error when the store fails, revealing nothing', async () => {
    const failing = { on: false };
    const t = makeAppWith({ store: failingTeamStore(failing) });
    const owner = await signedIn(t);
    failing.on = true;
    for (const call of CALLS) {
      const res = await send(t, call, bearer(owner.auth));
      expectError(res, 500, 'internal_error');
      assert.ok(!res.text.includes('secret internal detail'), call.operationId);
    }
    failing.on = false;
    // The failures changed nothing: the owner is still the only member, no invitation was made.
    const members = await t.http.get('/v1/members').set(bearer(owner.auth)).expect(200);
    assert.deepEqual(members.body.data.map((m: { user_id: string }) => m.user_id), [owner.userId]);
    const invitations = await t.http.get('/v1/invitations').set(bearer(owner.auth)).expect(200);
    assert.deepEqual(invitations.body.data, []);
  });
});
