import assert from 'node:assert/strict';
import { makeTestApp } from '../helpers';

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
