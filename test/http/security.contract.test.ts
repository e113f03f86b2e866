// Security is enforced from the contract's requirements, not from code: a changed requirement in
// openapi.yaml changes who gets in.
import assert from 'node:assert/strict';
import { expectError, signedIn } from '../helpers';
import { appFromSpec, removeSpecCopies, specCopy } from '../support/specCopy';

describe('security requirements come from the contract', () => {
  after(removeSpecCopies);

  it('a scope added to an operation in the spec is required (403 naming it), with the old scope alone not enough', async () => {
    const t = appFromSpec(specCopy((doc) => {
      doc.paths['/projects'].get.security = [{ bearerAuth: ['projects:read', 'keys:write'] }, { apiKeyAuth: ['projects:read', 'keys:write'] }];
    }));
    const owner = await signedIn(t, { role: 'owner' });
    await t.http.get('/v1/projects').set('Authorization', owner.auth).expect(200);
    const member = await signedIn(t, { role: 'member' });
    const err = expectError(await t.http.get('/v1/projects').set('Authorization', member.auth), 403, 'insufficient_scope');
    assert.match(err.message, /keys:write/);
  });

  it('an operation allowing only API keys refuses a bearer token as unauthenticated', async () => {
    const t = appFromSpec(specCopy((doc) => {
      doc.paths['/projects'].get.security = [{ apiKeyAuth: ['projects:read'] }];
    }));
    const u = await signedIn(t);
    const res = await t.http.get('/v1/projects').set('Authorization', u.auth);
    expectError(res, 401, 'unauthenticated');
    assert.ok(res.headers['www-authenticate']);
  });

  it('alternatives combine with OR and schemes within one with AND: {bearer AND key} needs both headers', async () => {
    const t = appFromSpec(specCopy((doc) => {
      doc.paths['/projects'].get.security = [{ bearerAuth: ['projects:read'], apiKeyAuth: ['projects:read'] }];
    }));
    const u = await signedIn(t);
    expectError(await t.http.get('/v1/projects').set('Authorization', u.auth), 401, 'unauthenticated');
    const created = await t.http.post('/v1/api-keys').set('Authorization', u.auth).send({ name: 'k', scopes: ['projects:read'] }).expect(201);
    const key = created.body.data.key as string;
    expectError(await t.http.get('/v1/projects').set('x-api-key', key), 401, 'unauthenticated');
    await t.http.get('/v1/projects').set('Authorization', u.auth).set('x-api-key', key).expect(200);
  });
});
