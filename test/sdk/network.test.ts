// What the SDK does when no answer comes: a POST whose connection drops after the server did the
// work is retried with the same Idempotency-Key and creates one project; a DELETE is not retried;
// timeouts, refused connections and aborts end in their own errors.
import assert from 'node:assert/strict';
import { errorIs, NetworkError, TimeoutError } from '../../sdk/src';
import { freePort } from '../process/run';
import { live, recorder, type Live } from './harness';
import { blackHole, closeAll, droppingProxy, type Fault } from './faults';

describe('SDK: network errors, timeouts and aborts', () => {
  let l: Live;
  let fault: Fault | undefined;
  beforeEach(async () => (l = await live()));
  afterEach(async () => {
    await closeAll(fault, l);
    fault = undefined;
  });

  it('createProject: the answer is lost in flight; the retry with the same Idempotency-Key gets the replay, and one project exists', async () => {
    fault = await droppingProxy(l.url, /^POST \/v1\/projects /);
    const rec = recorder();
    const client = l.client({ baseUrl: fault.url }, rec);
    const created = await client.projects.create({ name: 'Exactly once' });
    assert.equal(fault.cut(), 1);
    assert.equal(rec.sent.length, 2);
    assert.equal(rec.sent[0].error, 'TypeError', 'the first attempt failed in fetch (socket closed)');
    assert.equal(rec.sent[1].status, 201);
    const [first, second] = rec.sent.map((s) => s.headers.get('idempotency-key'));
    assert.ok(first && first === second, 'both attempts carry one key');
    assert.equal(rec.retries.length, 1);
    assert.ok(rec.retries[0].error instanceof NetworkError);
    const named = await l.client().projects.list({ name: 'Exactly once' }).toArray();
    assert.deepEqual(
      named.map((p) => p.id),
      [created.data.id],
    );
    console.log(`      dropped connection: 1 retry after ${rec.retries[0].delayMs} ms, ${named.length} project created`);
  });

  it('getProject: a dropped GET is retried (safe method)', async () => {
    const { data } = await l.client().projects.create({ name: 'Read me' });
    fault = await droppingProxy(l.url, /^GET \/v1\/projects\//);
    const rec = recorder();
    const got = await l.client({ baseUrl: fault.url }, rec).projects.get(data.id);
    assert.equal(got.data.id, data.id);
    assert.deepEqual(
      rec.sent.map((s) => s.status),
      [undefined, 200],
    );
  });

  it('deleteProject: a dropped DELETE is not retried (no Idempotency-Key): NetworkError, though the server deleted it', async () => {
    const { data } = await l.client().projects.create({ name: 'Gone' });
    fault = await droppingProxy(l.url, /^DELETE /);
    const rec = recorder();
    const err = await l.client({ baseUrl: fault.url }, rec).projects.delete(data.id).catch((e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(rec.sent.length, 1);
    const after = await l.client().projects.get(data.id).catch((e: unknown) => e);
    assert.ok(errorIs.notFound(after), 'the delete took effect: a retry would have answered 404');
  });

  it('a refused connection: NetworkError after 1 + maxRetries attempts, with backoff between them', async () => {
    const rec = recorder();
    const client = l.client({ baseUrl: `http://127.0.0.1:${await freePort()}` }, rec);
    const err = await client.me.get().catch((e: unknown) => e);
    assert.ok(err instanceof NetworkError);
    assert.match(err.message, /ECONNREFUSED/);
    assert.ok(err.cause, 'the cause is kept');
    assert.equal(rec.sent.length, 3);
    assert.deepEqual(
      rec.retries.map((r) => r.retry),
      [1, 2],
    );
    assert.ok(rec.retries[0].delayMs < 500 && rec.retries[1].delayMs < 1000, 'full jitter under 500 ms, then 1000 ms');
  });

  it('timeout: each attempt is bounded; TimeoutError once the retries are spent', async () => {
    fault = await blackHole();
    const rec = recorder();
    const started = Date.now();
    const err = await l.client({ baseUrl: fault.url }, rec).me.get({ timeout: 100, maxRetries: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(err.timeoutMs, 100);
    assert.equal(rec.sent.length, 2);
    assert.ok(rec.retries[0].error instanceof TimeoutError);
    assert.ok(Date.now() - started < 2_000);

    // The client's default, for every call that does not say otherwise.
    const quick = l.client({ baseUrl: fault.url, timeout: 50, maxRetries: 0 });
    assert.ok((await quick.projects.list().page().catch((e: unknown) => e)) instanceof TimeoutError);
  });

  it('abort: an AbortSignal ends the call in flight with its reason, and an aborted one sends nothing', async () => {
    fault = await blackHole();
    const rec = recorder();
    const client = l.client({ baseUrl: fault.url }, rec);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const err = await client.me.get({ signal: controller.signal }).catch((e: unknown) => e);
    assert.equal((err as Error).name, 'AbortError');
    assert.ok(Date.now() - started < 1000);
    assert.equal(rec.sent.length, 1, 'an abort is not retried');

    const reason = new Error('shutting down');
    const gone = await client.me.get({ signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    assert.equal(gone, reason);
    assert.equal(rec.sent.length, 1);
  });
});
