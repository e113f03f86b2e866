import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './run';
import { crashEngines as engines } from './crashEngines';

const KILLS = 5;
const CLIENT_LOOPS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const randomBetween = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** A crash: SIGKILL to the server process (startServer runs it as its direct child). */
async function crash(server: RunningServer): Promise<void> {
  await server.stop('SIGKILL');
}

const alive = (server: RunningServer | undefined) =>
  server !== undefined && server.child.exitCode === null && server.child.signalCode === null;

interface Listed {
  id: string;
  name: string;
}


/** Idempotent creates against a real server that is killed with SIGKILL under load. */
for (const engine of engines) describe(`idempotent creates survive SIGKILL (src/main.ts, ${engine.name})`, function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: RunningServer | undefined;
  let engineEnv: Record<string, string>;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-crash-'));
    engineEnv = await engine.setUp();
  });
  afterEach(async () => {
    if (alive(server)) await crash(server!);
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
    await engine.tearDown();
  });

  it('createProject with Idempotency-Key: after each of 5 kills every acknowledged create exists once, every retried key yields one project, and the database is intact', async () => {
    const env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', RATE_LIMIT_MULTIPLIER: '1000', ...engineEnv };
    server = await startServer(env);
    const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr());
    assert.ok(m, `first start prints credentials: ${server.stderr()}`);
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: m[1], password: m[2] }),
    });
    assert.equal(login.status, 200);
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const auth = { authorization: `Bearer ${token}` };

    /** POST /v1/projects with key k-i and name p-i; the created id on a 201, else undefined. */
    const create = async (url: string, i: number): Promise<{ status: number; id?: string; replayed: boolean }> => {
      const res = await fetch(`${url}/v1/projects`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `k-${i}` },
        body: JSON.stringify({ name: `p-${i}` }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.status !== 201) return { status: res.status, replayed: false };
      const body = JSON.parse(text) as { data: Listed };
      assert.equal(body.data.name, `p-${i}`);
      return { status: 201, id: body.data.id, replayed: res.headers.get('idempotent-replayed') === 'true' };
    };

    /** Every project, paginating. */
    const listAll = async (url: string): Promise<Listed[]> => {
      const all: Listed[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10_000; page++) {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await fetch(`${url}/v1/projects?limit=100${q}`, { headers: auth });
        assert.equal(res.status, 200, await res.clone().text());
        const body = (await res.json()) as { data: Listed[]; meta: { has_more: boolean; next_cursor: string | null } };
        all.push(...body.data);
        if (!body.meta.has_more) return all;
        cursor = body.meta.next_cursor;
      }
      throw new Error('the listing does not end');
    };

    const integrity = () => engine.integrity(dataDir);

    let next = 0;
    /** i -> id of the project its 201 named. */
    const acknowledged = new Map<number, string>();
    /** Sent but not acknowledged (in flight at the kill, connection error, or not 201). */
    const unacknowledged = new Set<number>();
    const figures = { kills: 0, sent: 0, acknowledged: 0, unacknowledged: 0, retried: 0, retryRequests: 0, retriedReplayed: 0, lost: 0, duplicates: 0 };
    const otherStatuses: number[] = [];

    /** Checks the invariants against the running server; retries every unacknowledged key. */
    const recover = async (url: string) => {
      const before = await listAll(url);
      const byName = new Map<string, Listed[]>();
      for (const p of before) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
      for (const [i, id] of acknowledged) {
        const found = byName.get(`p-${i}`) ?? [];
        if (found.length === 0 || !found.some((p) => p.id === id)) figures.lost += 1;
      }
      for (const [, ps] of byName) if (ps.length > 1) figures.duplicates += ps.length - 1;

      for (const i of [...unacknowledged].sort((a, b) => a - b)) {
        figures.retried += 1;
        figures.retryRequests += 1;
        const res = await create(url, i);
        assert.equal(res.status, 201, `retry of k-${i}`);
        if (res.replayed) {
          figures.retriedReplayed += 1;
          // It had committed before the kill: the replay names the project that exists.
          const existing = byName.get(`p-${i}`) ?? [];
          assert.deepEqual(existing.map((p) => p.id), [res.id], `k-${i} replays the project it created`);
        } else {
          assert.equal(byName.get(`p-${i}`), undefined, `k-${i} ran again although p-${i} exists`);
        }
        acknowledged.set(i, res.id!);
        unacknowledged.delete(i);
        // A second retry is always a replay of the same project.
        const again = await create(url, i);
        figures.retryRequests += 1;
        assert.equal(again.status, 201);
        assert.equal(again.replayed, true);
        assert.equal(again.id, res.id);
      }

      const after = await listAll(url);
      const names = new Map<string, string[]>();
      for (const p of after) names.set(p.name, [...(names.get(p.name) ?? []), p.id]);
      for (const [, ids] of names) if (ids.length > 1) figures.duplicates += ids.length - 1;
      assert.equal(after.length, acknowledged.size, 'one project per key sent, nothing else');
      for (const [i, id] of acknowledged) assert.deepEqual(names.get(`p-${i}`), [id], `p-${i} exists once`);
    };

    for (let round = 1; round <= KILLS; round++) {
      const url = server.url;
      let dead = false;
      let ackedThisRound = 0;
      const loop = async () => {
        while (!dead) {
          const i = next++;
          figures.sent += 1;
          try {
            const res = await create(url, i);
            if (res.status === 201) {
              acknowledged.set(i, res.id!);
              ackedThisRound += 1;
              figures.acknowledged += 1;
            } else {
              otherStatuses.push(res.status);
              unacknowledged.add(i);
              figures.unacknowledged += 1;
            }
          } catch {
            // Connection refused or reset: the request may or may not have committed.
            unacknowledged.add(i);
            figures.unacknowledged += 1;
            if (!dead) await sleep(5);
          }
        }
      };
      const loops = Array.from({ length: CLIENT_LOOPS }, loop);
      try {
        // The load is flowing (the first requests of a fresh process are slow), then a random moment.
        for (let waited = 0; ackedThisRound === 0 && waited < 10_000; waited += 10) await sleep(10);
        await sleep(randomBetween(100, 600));
        await crash(server);
        figures.kills += 1;
      } finally {
        dead = true;
        await Promise.all(loops);
      }

      server = await startServer(env);
      assert.doesNotMatch(server.stderr(), /password:/, 'no new first-start account after a restart');
      assert.equal(await integrity(), 'ok', `integrity_check after kill ${round}`);
      await recover(server.url);
    }

    assert.equal(await server.stop('SIGTERM'), 0);
    assert.equal(await integrity(), 'ok', 'integrity_check after the final graceful stop');

    console.log(
      `      crash figures: kills=${figures.kills} requests sent=${figures.sent} acknowledged=${figures.acknowledged} ` +
        `in flight or failed=${figures.unacknowledged} retried=${figures.retried} ` +
        `(committed before the kill, so replayed: ${figures.retriedReplayed}; retry requests incl. a second replay each: ${figures.retryRequests}) ` +
        `lost=${figures.lost} duplicates=${figures.duplicates}` +
        (otherStatuses.length ? ` other statuses=${JSON.stringify(otherStatuses)}` : ''),
    );
    assert.equal(figures.lost, 0, 'an acknowledged create was lost');
    assert.equal(figures.duplicates, 0, 'a key created more than one project');
    assert.equal(unacknowledged.size, 0);
    assert.equal(figures.sent, figures.acknowledged + figures.unacknowledged);
    assert.equal(figures.retried, figures.unacknowledged);
    assert.ok(figures.acknowledged > 0, 'the load reached the server');
  });
});
