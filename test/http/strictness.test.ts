import assert from 'node:assert/strict';
import { makeTestApp, signedIn, expectError, createUser } from '../helpers';

// The contract's types are enforced as written: nothing is coerced into shape.
describe('request strictness', () => {
  it('createProject: 400 when a body field has the wrong JSON type, and nothing is created', async () => {
    const t = makeTestApp();
    const u = await signedIn(t);
    for (const name of [123, true, ['x'], { x: 1 }]) {
      const res = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name });
      const err = expectError(res, 400, 'validation_failed');
      assert.equal((err.details[0] as { pointer: string }).pointer, '/body/name');
    }
    const list = await t.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
    assert.deepEqual(list.body.data, []);
  });

  it('login: 400 when the password is a number, even if its digits are the password', async () => {
    const t = makeTestApp();
    const user = await createUser(t, { password: '904712385566' });
    const res = await t.http.post('/v1/auth/login').send({ email: user.email, password: 904712385566 });
    expectError(res, 400, 'validation_failed');
  });

  it('listProjects: 400 for an impossible calendar date; unencoded colons in instants are accepted', async () => {
    const t = makeTestApp();
    const u = await signedIn(t);
    const bad = await t.http.get('/v1/projects?created_after=2026-02-30T00:00:00Z').set('Authorization', u.auth);
    expectError(bad, 400, 'validation_failed');
    await t.http.get('/v1/projects?created_after=2026-02-28T00:00:00Z').set('Authorization', u.auth).expect(200);
  });
});
