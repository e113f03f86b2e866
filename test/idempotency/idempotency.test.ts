import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  createIdempotency,
  IdempotencyKeyReused,
  type IdempotencyScope,
  type StoredResponse,
} from '../../src/idempotency/idempotency';
import type { IdempotencyRecord, IdempotencyStore, Async, AsyncStore } from '../../src/store/ports';
import { openAsyncSqliteStore } from '../../src/store/sqlite/async';

/** createIdempotency over one records aggregate, as the transaction layer calls it. */
function makeIdem(opts: { store: Async<IdempotencyStore>; pepper: Buffer; retentionSeconds: number; now?: () => number }) {
  const idem = createIdempotency(opts);
  return {
    execute: (s: IdempotencyScope, request: unknown, run: () => StoredResponse) => idem.execute(opts.store, s, request, async () => run()),
  };
}

const copy = (r: IdempotencyRecord): IdempotencyRecord => ({
  fingerprint: Buffer.from(r.fingerprint),
  status: r.status,
  headers: { ...r.headers },
  body: r.body && Buffer.from(r.body),
});

/** An in-memory IdempotencyStore that exposes what was saved. */
function memoryStore() {
  const rows = new Map<string, { id: Buffer; record: IdempotencyRecord; expiresAt: string }>();
  const store: Async<IdempotencyStore> = {
    async lock() {},
    async find(id, now) {
      const row = rows.get(id.toString('hex'));
      return row && row.expiresAt > now ? copy(row.record) : undefined;
    },
    async save(id, record, _now, expiresAt) {
      rows.set(id.toString('hex'), { id, record: copy(record), expiresAt });
    },
  };
  return { store, rows };
}

const scope = (over: Partial<IdempotencyScope> = {}): IdempotencyScope => ({
  workspaceId: 'wsp_1',
  principalId: 'user:usr_1',
  method: 'post',
  route: '/v1/projects',
  key: 'key-1',
  ...over,
});

const ok = (body: unknown, status = 201): StoredResponse => ({
  status,
  headers: { Location: '/v1/projects/prj_1' },
  body: JSON.stringify(body),
});

/** A run() that counts its calls. */
function counted(response: StoredResponse) {
  const fn = () => {
    fn.calls += 1;
    return response;
  };
  fn.calls = 0;
  return fn;
}

describe('idempotency: createIdempotency', () => {
  const pepper = randomBytes(32);

  describe('request fingerprint (canonical JSON)', () => {
    const same: [string, unknown, unknown][] = [
      ['object key order', { params: {}, body: { name: 'a', slug: 'b' } }, { body: { slug: 'b', name: 'a' }, params: {} }],
      [
        'nested key order, arrays of objects',
        { body: { a: { x: 1, y: [{ p: 1, q: 2 }, 3] }, b: null } },
        { body: { b: null, a: { y: [{ q: 2, p: 1 }, 3], x: 1 } } },
      ],
      ['undefined members are absent members', { body: { name: 'a', description: undefined } }, { body: { name: 'a' } }],
      ['undefined and null request are alike', undefined, null],
      ['unicode keys and values', { body: { 'é': 'ü', a: '😀' } }, { body: { a: '😀', 'é': 'ü' } }],
    ];
    for (const [what, first, second] of same) {
      it(`the same request: ${what} → replayed, run once`, async () => {
        const { store } = memoryStore();
        const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
        const run = counted(ok({ data: 1 }));
        assert.equal((await idem.execute(scope(), first, run)).replayed, false);
        const again = await idem.execute(scope(), second, run);
        assert.equal(again.replayed, true);
        assert.equal(run.calls, 1);
      });
    }

    const different: [string, unknown, unknown][] = [
      ['another value', { body: { name: 'a' } }, { body: { name: 'b' } }],
      ['a number and its string', { body: { n: 1 } }, { body: { n: '1' } }],
      ['null and absent', { body: { description: null } }, { body: {} }],
      ['array order', { body: { scopes: ['a', 'b'] } }, { body: { scopes: ['b', 'a'] } }],
      ['an extra member', { body: { name: 'a' } }, { body: { name: 'a', slug: 'a' } }],
      ['another path parameter', { params: { id: 'A' }, body: {} }, { params: { id: 'B' }, body: {} }],
      ['a key that looks like a nested one', { body: { 'a.b': 1 } }, { body: { a: { b: 1 } } }],
      ['true and "true"', { body: { x: true } }, { body: { x: 'true' } }],
      ['an empty object and an empty array', { body: {} }, { body: [] }],
      ['a key containing quotes and colons', { body: { 'a":"b': 'c' } }, { body: { a: 'b":"c' } }],
    ];
    for (const [what, first, second] of different) {
      it(`a different request: ${what} → IdempotencyKeyReused, run not called`, async () => {
        const { store } = memoryStore();
        const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
        const run = counted(ok({ data: 1 }));
        await idem.execute(scope(), first, run);
        await assert.rejects(idem.execute(scope(), second, run), IdempotencyKeyReused);
        assert.equal(run.calls, 1);
      });
    }
  });

  describe('scope', () => {
    for (const field of ['workspaceId', 'principalId', 'method', 'route', 'key'] as const) {
      it(`another ${field} is another record: runs again`, async () => {
        const { store, rows } = memoryStore();
        const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
        const run = counted(ok({ data: 1 }));
        await idem.execute(scope(), { body: 1 }, run);
        const other = await idem.execute(scope({ [field]: `${scope()[field]}-other` }), { body: 2 }, run);
        assert.equal(other.replayed, false);
        assert.equal(run.calls, 2);
        assert.equal(rows.size, 2);
      });
    }

    it('scope fields do not run into each other (no ambiguous concatenation)', async () => {
      const { store, rows } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      const run = counted(ok({}));
      await idem.execute(scope({ workspaceId: 'ab', principalId: 'c' }), null, run);
      await idem.execute(scope({ workspaceId: 'a', principalId: 'bc' }), null, run);
      assert.equal(run.calls, 2);
      assert.equal(rows.size, 2);
    });

    it('the stored id is a 32-byte digest that holds neither the key nor the scope in clear', async () => {
      const { store, rows } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      await idem.execute(scope({ key: 'my-secret-key' }), null, () => ok({}));
      const [row] = rows.values();
      assert.equal(row.id.length, 32);
      assert.ok(!row.id.toString('latin1').includes('my-secret-key'));
      assert.equal(row.record.fingerprint.length, 32);
    });

    it('another pepper (another deployment secret) finds nothing: runs again', async () => {
      const { store } = memoryStore();
      const run = counted(ok({}));
      await makeIdem({ store, pepper, retentionSeconds: 60 }).execute(scope(), null, run);
      const other = await makeIdem({ store, pepper: randomBytes(32), retentionSeconds: 60 }).execute(scope(), null, run);
      assert.equal(other.replayed, false);
      assert.equal(run.calls, 2);
    });
  });

  describe('stored response (encryption)', () => {
    it('round-trips status, headers and the body text byte for byte, unicode included', async () => {
      const { store } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      const text = '{"data":{"name":"Zürich 😀 \\u0000 \\"q\\"","n":1.50}}';
      const response: StoredResponse = { status: 409, headers: { 'Retry-After': '1', ETag: '"x"' }, body: text };
      const first = await idem.execute(scope(), null, () => response);
      assert.deepEqual(first, { replayed: false, response });
      const again = await idem.execute(scope(), null, () => assert.fail('must not run again'));
      assert.deepEqual(again, { replayed: true, response });
      assert.equal(again.response.body, text);
    });

    it('a response without a body is stored as null and replayed without one', async () => {
      const { store, rows } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      await idem.execute(scope(), null, () => ({ status: 204, headers: {} }));
      assert.equal([...rows.values()][0].record.body, null);
      const again = await idem.execute(scope(), null, () => assert.fail('must not run again'));
      assert.deepEqual(again, { replayed: true, response: { status: 204, headers: {}, body: undefined } });
    });

    it('the stored body is ciphertext: the plain text is nowhere in it, and two records of one text differ', async () => {
      const { store, rows } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      const secret = 'cp_live_ThisIsTheSecretKeyText1234567890';
      const text = JSON.stringify({ data: { key: secret } });
      await idem.execute(scope({ key: 'a' }), null, () => ok({ data: { key: secret } }));
      await idem.execute(scope({ key: 'b' }), null, () => ok({ data: { key: secret } }));
      const bodies = [...rows.values()].map((r) => r.record.body!);
      for (const body of bodies) {
        assert.ok(Buffer.isBuffer(body));
        assert.ok(body.length >= 28 + Buffer.byteLength(text), 'iv, tag and ciphertext');
        assert.ok(!body.includes(Buffer.from(secret)));
        assert.ok(!body.toString('latin1').includes('cp_live_'));
      }
      assert.notDeepEqual(bodies[0], bodies[1], 'another key and iv per record');
    });

    it('a tampered stored body fails authentication instead of replaying altered bytes', async () => {
      const { store, rows } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      await idem.execute(scope(), null, () => ok({ data: 'original' }));
      const row = [...rows.values()][0];
      row.record.body![row.record.body!.length - 1] ^= 1;
      await assert.rejects(idem.execute(scope(), null, () => assert.fail('must not run')));
    });
  });

  describe('failures and expiry', () => {
    it('run() throwing stores nothing; the next call runs', async () => {
      const { store, rows } = memoryStore();
      const idem = makeIdem({ store, pepper, retentionSeconds: 60 });
      await assert.rejects(idem.execute(scope(), null, () => { throw new Error('boom'); }), /boom/);
      assert.equal(rows.size, 0);
      assert.equal((await idem.execute(scope(), null, () => ok({}))).replayed, false);
    });

    describe('with the SQLite store', () => {
      let db: AsyncStore;
      beforeEach(() => {
        db = openAsyncSqliteStore(':memory:');
      });
      afterEach(() => db.close());

      it('a record lives retentionSeconds: replayed just before, run again (and replaced) at expiry', async () => {
        let now = Date.parse('2026-01-01T00:00:00.000Z');
        const idem = makeIdem({ store: db.idempotency, pepper, retentionSeconds: 60, now: () => now });
        const first = counted(ok({ v: 1 }));
        await idem.execute(scope(), { body: 1 }, first);
        now += 59_999;
        assert.equal((await idem.execute(scope(), { body: 1 }, first)).replayed, true);
        now += 1;
        // Expired: another body is no longer a reuse, and the new outcome replaces the old one.
        const second = counted(ok({ v: 2 }));
        const fresh = await idem.execute(scope(), { body: 2 }, second);
        assert.equal(fresh.replayed, false);
        const replay = await idem.execute(scope(), { body: 2 }, second);
        assert.equal(replay.replayed, true);
        assert.equal(replay.response.body, '{"v":2}');
        assert.equal(first.calls, 1);
        assert.equal(second.calls, 1);
      });

      it('the record is written in the caller\'s transaction: rolled back with it', async () => {
        const idem = makeIdem({ store: db.idempotency, pepper, retentionSeconds: 60 });
        await assert.rejects(
          db.transaction(async (tx) => {
            await makeIdem({ store: tx.idempotency, pepper, retentionSeconds: 60 }).execute(scope(), null, () => ok({}));
            throw new Error('the change failed after the record was written');
          }),
        );
        assert.equal((await idem.execute(scope(), null, () => ok({}))).replayed, false);
      });
    });
  });
});
