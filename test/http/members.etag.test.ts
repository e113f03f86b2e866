import assert from 'node:assert/strict';
import { expectError, makeTestApp, type TestApp } from '../helpers';
import { bearer, type Cred } from '../support/apiKeys';
import { rolesOf, teamOf } from '../support/teams';

type Team = Awaited<ReturnType<typeof teamOf>>;

const getMember = (t: TestApp, cred: Cred, userId: string, ifNoneMatch?: string) => {
  const req = t.http.get(`/v1/members/${userId}`).set(cred);
  return ifNoneMatch === undefined ? req : req.set('If-None-Match', ifNoneMatch);
};

const patchRole = (t: TestApp, cred: Cred, userId: string, role: string, ifMatch?: string) => {
  const req = t.http.patch(`/v1/members/${userId}`).set(cred);
  return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send({ role });
};

const remove = (t: TestApp, cred: Cred, userId: string, ifMatch?: string) => {
  const req = t.http.delete(`/v1/members/${userId}`).set(cred);
  return ifMatch === undefined ? req : req.set('If-Match', ifMatch);
};

/** The member's current ETag, as getMember sends it. */
async function etagOf(t: TestApp, cred: Cred, userId: string): Promise<string> {
  const res = await getMember(t, cred, userId);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.headers['etag'], /^"[\x21\x23-\x7E]+"$/);
  return res.headers['etag'];
}

/** 412 precondition_failed naming the member's current ETag. */
function expectStale(res: Parameters<typeof expectError>[0], current: string) {
  const err = expectError(res, 412, 'precondition_failed');
  assert.deepEqual(err.details, [{ field: 'If-Match', code: 'stale', message: `current ETag is ${current}` }]);
}

describe('members: ETags (If-None-Match on getMember, If-Match on updateMember and deleteMember)', () => {
  let t: TestApp;
  let team: Team;
  let owner: Cred;
  beforeEach(async () => {
    t = makeTestApp();
    team = await teamOf(t);
    owner = bearer(team.owner.auth);
  });

  it('getMember: 304 with no body and the ETag when If-None-Match holds the current ETag (or its weak form, or *)', async () => {
    const etag = await etagOf(t, owner, team.member.userId);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await getMember(t, owner, team.member.userId, header);
      assert.equal(res.status, 304, header);
      assert.equal(res.text, '');
      assert.equal(res.headers['etag'], etag);
    }
  });

  it('getMember: 200 with the member when the role changed since; If-None-Match does not hide a removed member (404)', async () => {
    const etag = await etagOf(t, owner, team.member.userId);
    const promoted = await patchRole(t, owner, team.member.userId, 'admin').expect(200);
    const res = await getMember(t, owner, team.member.userId, etag);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.role, 'admin');
    assert.equal(res.headers['etag'], promoted.headers['etag']);
    assert.notEqual(res.headers['etag'], etag);
    await remove(t, owner, team.member.userId).expect(204);
    expectError(await getMember(t, owner, team.member.userId, '*'), 404, 'not_found');
  });

  it('updateMember: 412 precondition_failed for a stale ETag (two managers read the same version); the role is the first writer\'s', async () => {
    const read = await etagOf(t, owner, team.member.userId);
    const first = await patchRole(t, owner, team.member.userId, 'admin', read);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.notEqual(first.headers['etag'], read);
    expectStale(await patchRole(t, bearer(team.admin.auth), team.member.userId, 'member', read), first.headers['etag']);
    assert.equal((await rolesOf(t, owner))[team.member.userId], 'admin');
    // A weak tag never matches If-Match; the current one, or *, does.
    expectStale(await patchRole(t, owner, team.member.userId, 'member', `W/${first.headers['etag']}`), first.headers['etag']);
    await patchRole(t, owner, team.member.userId, 'member', first.headers['etag']).expect(200);
    await patchRole(t, owner, team.member.userId, 'admin', '*').expect(200);
  });

  it('deleteMember: 412 precondition_failed for a stale ETag, and the member stays; 204 with the current one', async () => {
    const read = await etagOf(t, owner, team.member.userId);
    const changed = await patchRole(t, owner, team.member.userId, 'admin').expect(200);
    expectStale(await remove(t, owner, team.member.userId, read), changed.headers['etag']);
    assert.equal((await rolesOf(t, owner))[team.member.userId], 'admin');
    // Leaving checks If-Match too.
    const self = bearer(team.admin.auth);
    expectStale(await remove(t, self, team.admin.userId, '"not-the-etag"'), await etagOf(t, owner, team.admin.userId));
    await remove(t, owner, team.member.userId, changed.headers['etag']).expect(204);
    assert.equal((await rolesOf(t, owner))[team.member.userId], undefined);
  });
});
