// 429s under a tight limit (the contract's projects groups set to a few requests a second): the
// SDK waits each Retry-After out and the calls succeed; what may not be retried is not, and no wait
// runs past a totalTimeout.
import assert from 'node:assert/strict';
import { errorIs, TimeoutError } from '../../sdk/src';
import { appFromSpec, removeSpecCopies, specWithLimits } from '../support/specCopy';
import { live, recorder, type Live } from './harness';

const LIMIT = 2;

describe('SDK: rate limits', () => {
  let l: Live;
  // One app for all (building one from a contract copy takes seconds); each test starts once the
  // previous test's window is over.
  before(async () => {
    const spec = specWithLimits({
      'projects-read': { limit: LIMIT, window: 1 },
      'projects-write': { limit: LIMIT, window: 1 },
      'usage-read': { limit: 1, window: 120 },
    });
    l = await live(appFromSpec(spec));
  });
  beforeEach(() => new Promise((resolve) => setTimeout(resolve, 1100)));
  after(async () => {
    await l.close();
    removeSpecCopies();
  });

  it('listProjects: 8 reads at 2 a second: every 429 is waited out for its Retry-After, and all 8 succeed', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    const started = Date.now();
    for (let i = 0; i < 8; i++) await client.projects.list().page();
    const elapsed = Date.now() - started;
    const limited = rec.sent.filter((s) => s.status === 429).length;
    assert.equal(rec.sent.length, 8 + limited);
    assert.equal(rec.retries.length, limited);
    assert.ok(limited >= 3, `${limited} answers were 429`);
    for (const r of rec.retries) {
      assert.equal(r.status, 429);
      assert.ok(r.delayMs >= 1000 && r.delayMs % 1000 === 0, `waited ${r.delayMs} ms: Retry-After is whole seconds`);
    }
    const waited = rec.retries.reduce((sum, r) => sum + r.delayMs, 0);
    assert.ok(elapsed >= waited);
    console.log(`      8 reads at ${LIMIT}/s: ${limited} answers 429, ${rec.retries.length} retries waited ${waited / 1000} s in all (${elapsed} ms)`);
  });

  it('createProject: a POST (with its Idempotency-Key) is retried after 429 like a read; one project per call', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    for (let i = 0; i < 4; i++) await client.projects.create({ name: `Limited ${i}` });
    assert.ok(rec.retries.length >= 1);
    assert.equal((await client.projects.list({ name: 'Limited' }).toArray()).length, 4);
  });

  it('maxRetries 0: the 429 is the caller\'s, as an ApiError rate_limited with Retry-After', async () => {
    const client = l.client({ maxRetries: 0 });
    const answers = await Promise.all(Array.from({ length: LIMIT + 1 }, () => client.projects.list().page().catch((e: unknown) => e)));
    const limited = answers.filter((a) => errorIs.rateLimited(a));
    assert.equal(limited.length, 1);
    const err = limited[0] as Extract<(typeof limited)[number], { status: number }>;
    assert.equal(err.status, 429);
    assert.match(err.headers.get('retry-after') ?? '', /^\d+$/);
  });

  it('deleteProject: a DELETE is not retried on 429 (no Idempotency-Key makes it safe to send twice)', async () => {
    const { data } = await l.client({ maxRetries: 5 }).projects.create({ name: 'Keep' });
    const rec = recorder();
    const client = l.client({}, rec);
    // The write budget: use it up, then the DELETE meets the limit.
    await Promise.all(Array.from({ length: LIMIT }, (_, i) => client.projects.update(data.id, { description: `${i}` }, { maxRetries: 0 }).catch(() => {})));
    const err = await client.projects.delete(data.id).catch((e: unknown) => e);
    assert.ok(errorIs.rateLimited(err), String(err));
    assert.equal(rec.count('DELETE', /./), 1);
  });

  it('getUsage: a Retry-After over a minute is not waited out: the 429 is the caller\'s at once', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    const window = { from: '2026-01-01', to: '2026-01-02' };
    await client.usage.get(window);
    const started = Date.now();
    const err = await client.usage.get(window).catch((e: unknown) => e);
    assert.ok(errorIs.rateLimited(err));
    assert.ok(Number(err.headers.get('retry-after')) > 60);
    assert.equal(rec.retries.length, 0);
    assert.ok(Date.now() - started < 1000);
  });

  it('abort during a Retry-After wait ends the call at once', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    await Promise.all(Array.from({ length: LIMIT }, () => client.projects.list().page()));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await client.projects.list({}, { signal: controller.signal }).page().catch((e: unknown) => e);
    assert.equal((err as Error).name, 'AbortError');
    assert.equal(rec.retries.length, 1, 'it was waiting for its retry');
    assert.ok(Date.now() - started < 900, 'the wait did not run to its end');
  });

  it('a totalTimeout shorter than the Retry-After: the 429 ends the call at once as a TimeoutError, with no wait begun', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    await Promise.all(Array.from({ length: LIMIT }, () => client.projects.list().page()));
    const started = Date.now();
    const err = await client.projects.list({}, { totalTimeout: 500 }).page().catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError && err.scope === 'call', String(err));
    assert.ok(errorIs.rateLimited(err.cause), String(err.cause));
    assert.equal(rec.retries.length, 0);
    assert.ok(Date.now() - started < 500);
  });
});
