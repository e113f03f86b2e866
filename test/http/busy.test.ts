import assert from 'node:assert/strict';
import { expectError, signedIn } from '../helpers';
import { makeAppWith } from '../support/app';
import { operationsOf, readSpec } from '../support/specCopy';
import { operationUrl } from '../support/operationUrl';
import { Busy, type AsyncStore } from '../../src/store/ports';

// Issue #22: a busy database (a lock or a connection not had in time, a serialization failure)
// is the same documented answer on every path, 503 service_unavailable with Retry-After, never a
// logged 500: before, only an Idempotency-Key request got a 4xx for it. The store here fails as
// each engine's does when busy (test/store/engines/busy.test.ts makes the engines really busy).

/** The real store, whose every call and transaction fails with Busy while `busy.on`. */
function busyWhenOn(busy: { on: boolean }) {
  return (real: AsyncStore): AsyncStore => {
    const fail = () => Promise.reject(new Busy());
    const wrap = <T extends object>(aggregate: T): T =>
      Object.fromEntries(
        Object.entries(aggregate).map(([name, fn]) => [name, typeof fn === 'function' ? (...args: unknown[]) => (busy.on ? fail() : fn.apply(aggregate, args)) : fn]),
      ) as T;
    const store = Object.fromEntries(Object.entries(real).map(([name, value]) => [name, typeof value === 'object' && value ? wrap(value) : value]));
    return { ...(store as unknown as AsyncStore), transaction: (fn) => (busy.on ? fail() : real.transaction(fn)), close: () => real.close() };
  };
}

const doc = readSpec();

/** The body the contract's own example gives an operation, so validation passes and the store is reached. */
function exampleBody(op: any): unknown {
  const content = op.requestBody?.content?.['application/json'];
  if (!content) return undefined;
  const schema = content.schema.$ref ? doc.components.schemas[content.schema.$ref.split('/').pop()] : content.schema;
  return content.example ?? schema.examples?.[0] ?? {};
}

describe('a busy database: 503 service_unavailable with Retry-After on every operation', () => {
  it('every operation of the contract, before and after authentication: 503, nothing logged as an error', async () => {
    const busy = { on: false };
    const t = makeAppWith({ store: busyWhenOn(busy), env: { RATE_LIMIT_MULTIPLIER: '1000' } });
    const { auth } = await signedIn(t);
    busy.on = true;
    for (const { path, method, op } of operationsOf(doc)) {
      let req = (t.http as any)[method](operationUrl(doc, path)).set('Authorization', auth);
      const body = exampleBody(op);
      if (body !== undefined) req = req.send(body);
      const res = await req;
      expectError(res, 503, 'service_unavailable');
      assert.equal(res.headers['retry-after'], '1', op.operationId);
    }
    assert.deepEqual(t.logs.filter((l) => l.level === 'error'), []);
    assert.ok(t.logs.some((l) => l.msg === 'database busy'));
  });

  it('login and refreshToken: 503 while busy; the same requests succeed once it is not', async () => {
    const busy = { on: false };
    const t = makeAppWith({ store: busyWhenOn(busy) });
    const user = await signedIn(t);
    busy.on = true;
    expectError(await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }), 503, 'service_unavailable');
    expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: user.tokens.refresh_token }), 503, 'service_unavailable');
    busy.on = false;
    await t.http.post('/v1/auth/refresh').send({ refresh_token: user.tokens.refresh_token }).expect(200);
    await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
  });

  it('createProject without an Idempotency-Key: 503, and nothing was created', async () => {
    const busy = { on: false };
    const t = makeAppWith({ store: busyWhenOn(busy) });
    const { auth } = await signedIn(t);
    busy.on = true;
    expectError(await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'waits' }), 503, 'service_unavailable');
    busy.on = false;
    const list = await t.http.get('/v1/projects').set('Authorization', auth).expect(200);
    assert.deepEqual(list.body.data, []);
  });
});
