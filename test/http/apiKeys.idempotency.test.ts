import assert from 'node:assert/strict';
import { expectError, signedIn } from '../helpers';
import { makeAppWith } from '../support/app';
import { bearer, createKeyHttp } from '../support/apiKeys';
import { Busy, RecordLocked, type AsyncStore as Store } from '../../src/store/ports';

/** The real store, whose transactions fail as SQLite does when another process holds the write lock too long. */
function lockable() {
  const lock = { held: false, record: false };
  const store = (real: Store): Store => ({
    ...real,
    transaction: (fn) => {
      if (lock.held) return Promise.reject(new Busy());
      // As PostgreSQL reports the key's own record still locked by its first request.
      if (lock.record) return Promise.reject(new RecordLocked());
      return real.transaction(fn);
    },
  });
  return { lock, store };
}

describe('API keys with an Idempotency-Key', () => {
  it('createApiKey: 422 idempotency_key_reused for the same key with another body; nothing is created', async () => {
    const t = makeAppWith({});
    const u = await signedIn(t);
    const send = (name: string) =>
      t.http.post('/v1/api-keys').set(bearer(u.auth)).set('Idempotency-Key', 'k1').send({ name, scopes: ['projects:read'] });
    assert.equal((await send('first')).status, 201);
    const err = expectError(await send('second'), 422, 'idempotency_key_reused');
    assert.deepEqual(err.details, [{ field: 'Idempotency-Key', code: 'idempotency_key_reused', message: 'k1' }]);
    const list = await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
    assert.deepEqual(list.body.data.map((k: { name: string }) => k.name), ['first']);
  });

  it('rotateApiKey: 422 idempotency_key_reused for the same key with another grace period; rotated once', async () => {
    const t = makeAppWith({});
    const u = await signedIn(t);
    const created = await createKeyHttp(t, bearer(u.auth), { scopes: ['projects:read'] });
    const rotate = (grace: number) =>
      t.http.post(`/v1/api-keys/${created.id}/rotate`).set(bearer(u.auth)).set('Idempotency-Key', 'r1').send({ grace_period_seconds: grace });
    const first = await rotate(0);
    assert.equal(first.status, 200);
    expectError(await rotate(60), 422, 'idempotency_key_reused');
    const now = await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(u.auth)).expect(200);
    assert.equal(now.body.data.last4, first.body.data.last4, 'not rotated a second time');
  });

  for (const [operationId, request] of [
    ['createApiKey', (id: string) => ({ path: '/v1/api-keys', body: { name: 'busy', scopes: ['projects:read'] }, id })],
    ['rotateApiKey', (id: string) => ({ path: `/v1/api-keys/${id}/rotate`, body: {}, id })],
  ] as const) {
    // PostgreSQL has no database-wide write lock to be busy on: same-key requests wait on the record's row.
    // The store reports a busy database as Busy on either engine; the fake does the same.
    it(`${operationId}: 503 service_unavailable while the database is busy, 409 idempotency_key_in_use while the key's record is locked, both with Retry-After: 1; the retry with the key succeeds`, async () => {
      const { lock, store } = lockable();
      const t = makeAppWith({ store });
      const u = await signedIn(t);
      const created = await createKeyHttp(t, bearer(u.auth), { scopes: ['projects:read'] });
      const { path, body } = request(created.id);
      const send = () => t.http.post(path).set(bearer(u.auth)).set('Idempotency-Key', 'busy').send(body);
      lock.held = true;
      const busy = await send();
      expectError(busy, 503, 'service_unavailable');
      assert.equal(busy.headers['retry-after'], '1');
      lock.held = false;
      lock.record = true;
      const inUse = await send();
      expectError(inUse, 409, 'idempotency_key_in_use');
      assert.equal(inUse.headers['retry-after'], '1');
      lock.record = false;
      assert.equal((await send()).status, operationId === 'createApiKey' ? 201 : 200);
    });
  }
});
