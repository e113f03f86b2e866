import { signedIn } from '../helpers';
import { makeAppWith } from '../support/app';
import { expectInternalError } from '../support/apiKeys';
import type { Aggregates } from '../../src/store/ports';
import { failingMethod } from '../support/storeHooks';

/** The real store, except that `store[part][method]` throws once `failing.on` is set. */
function failing<P extends 'identity' | 'sessions' | 'usage'>(part: P, method: keyof Aggregates[P]) {
  const failing = { on: false };
  return { failing, store: failingMethod(part, method, 'secret internal detail', () => failing.on) };
}

describe('500 internal_error when the store fails, revealing nothing', () => {
  it('login: 500 internal_error', async () => {
    const { failing: f, store } = failing('identity', 'findUserByEmail');
    const t = makeAppWith({ store });
    f.on = true;
    const res = await t.http.post('/v1/auth/login').send({ email: 'a@example.com', password: 'long enough password' });
    expectInternalError(t, res);
  });

  for (const [operationId, path] of [
    ['refreshToken', '/v1/auth/refresh'],
    ['logout', '/v1/auth/logout'],
  ] as const) {
    it(`${operationId}: 500 internal_error`, async () => {
      const { failing: f, store } = failing('sessions', 'findRefreshToken');
      const t = makeAppWith({ store });
      f.on = true;
      expectInternalError(t, await t.http.post(path).send({ refresh_token: 'rt_unknown' }));
    });
  }

  it('getMe: 500 internal_error', async () => {
    const { failing: f, store } = failing('identity', 'getWorkspace');
    const t = makeAppWith({ store });
    const u = await signedIn(t);
    f.on = true;
    expectInternalError(t, await t.http.get('/v1/me').set('Authorization', u.auth));
  });

  it('getUsage: 500 internal_error', async () => {
    const { failing: f, store } = failing('usage', 'totals');
    const t = makeAppWith({ store });
    const u = await signedIn(t);
    f.on = true;
    expectInternalError(t, await t.http.get('/v1/usage?from=2026-03-01&to=2026-03-02').set('Authorization', u.auth));
  });
});
