import assert from 'node:assert/strict';
import { expectError, signedIn } from '../helpers';
import { appFromSpec, removeSpecCopies, specWithLimits } from '../support/specCopy';
import { bearer, keyOperations, UNKNOWN_KEY_ID } from '../support/apiKeys';

describe('429 rate_limited on the API key and usage operations', () => {
  after(removeSpecCopies);

  it('listApiKeys, createApiKey, getApiKey, rotateApiKey, deleteApiKey: one `keys` budget; over it each is 429 rate_limited', async () => {
    const t = appFromSpec(specWithLimits({ keys: { limit: 1, window: 60 } }));
    const u = await signedIn(t);
    assert.equal((await t.http.get('/v1/api-keys').set(bearer(u.auth))).status, 200);
    for (const [operationId, request] of keyOperations(t, UNKNOWN_KEY_ID)) {
      const res = await request().set(bearer(u.auth));
      const err = expectError(res, 429, 'rate_limited');
      assert.match(res.headers['ratelimit-policy'], /"keys";q=1;w=60/, operationId);
      assert.ok(Number(res.headers['retry-after']) >= 1, operationId);
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: '"keys";q=1;w=60' }]);
    }
  });

  it('getUsage: 429 rate_limited over the usage-read budget', async () => {
    const t = appFromSpec(specWithLimits({ 'usage-read': { limit: 1, window: 60 } }));
    const u = await signedIn(t);
    const usage = () => t.http.get('/v1/usage?from=2026-03-01&to=2026-03-02').set(bearer(u.auth));
    assert.equal((await usage()).status, 200);
    const res = await usage();
    expectError(res, 429, 'rate_limited');
    assert.equal(res.headers['x-ratelimit-remaining'], '0');
  });
});
