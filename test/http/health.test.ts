import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { makeTestApp, signedIn } from '../helpers';

describe('health and documentation routes', () => {
  it('GET /healthz is 200 and /readyz is 200 once migrated', async () => {
    const t = makeTestApp();
    const live = await t.http.get('/healthz').expect(200);
    assert.equal(live.body.data.status, 'ok');
    const ready = await t.http.get('/readyz').expect(200);
    assert.equal(ready.body.data.status, 'ready');
  });

  it('GET / redirects to /docs', async () => {
    const t = makeTestApp();
    const res = await t.http.get('/').expect(302);
    assert.equal(res.headers.location, '/docs');
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes the ES256 public key that verifies our access tokens, under the kid tokens carry', async () => {
    const t = makeTestApp();
    const u = await signedIn(t);
    const res = await t.http.get('/.well-known/jwks.json').expect(200);
    assert.equal(res.body.keys.length, 1);
    const [jwk] = res.body.keys;
    assert.equal(jwk.kty, 'EC');
    assert.equal(jwk.alg, 'ES256');
    assert.equal(jwk.d, undefined, 'never the private part');
    const header = JSON.parse(Buffer.from(u.tokens.access_token.split('.')[0], 'base64url').toString());
    assert.equal(header.kid, jwk.kid);
    const claims = jwt.verify(u.tokens.access_token, createPublicKey({ key: jwk, format: 'jwk' }), { algorithms: ['ES256'] });
    assert.equal((claims as { sub: string }).sub, u.userId);
  });
});
