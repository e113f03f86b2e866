import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { call, listAll, login, until, type Listed } from './clusterClient';
import { writeLoad } from './clusterLoad';
import { EMAIL, PASSWORD, postgresPair, sqliteWorkers, type ClusterSetup } from './clusterSetups';

const setups: ClusterSetup[] = [postgresPair(process.env.DATABASE_URL), sqliteWorkers()];

// Issue #13 item 6: clients alternating between two processes of one service (two instances on
// PostgreSQL + Redis, or WORKERS=2 on SQLite), one of them SIGKILLed mid-run and brought back.
// The limits across both setups are tested in postgres.test.ts and workers.test.ts.
for (const setup of setups) (setup.enabled ? describe : describe.skip)(`cluster: ${setup.name}`, function () {
  this.timeout(120_000);
  let auth: Record<string, string>;
  let refreshToken: string;
  const targets = () => setup.targets();
  const at = (i: number) => targets()[i % 2];
  const tagged = () => ({ 'x-request-id': `cluster-${randomBytes(8).toString('hex')}` });

  /** The processes that served these request ids (waits for their access-log lines). */
  const servers = async (ids: string[]) => {
    await until(() => ids.every((id) => setup.servedBy(id) !== undefined));
    return new Set(ids.map((id) => setup.servedBy(id)!));
  };

  before(async () => {
    await setup.start();
    const tokens = await login(at(0), EMAIL, PASSWORD);
    auth = { authorization: `Bearer ${tokens.access_token}` };
    refreshToken = tokens.refresh_token;
  });
  after(() => setup.stop());

  it(`listProjects: a token and the cursors issued by one of the ${setup.processes} are accepted by the other; refreshToken too`, async () => {
    for (let i = 0; i < 6; i++) {
      const res = await call(at(i), 'POST', '/v1/projects', auth, { name: `Walk ${i}` });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const ids: string[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page === 0 || cursor; page++) {
      const headers = { ...auth, ...tagged() };
      ids.push(headers['x-request-id']);
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await call(at(page), 'GET', `/v1/projects?name=Walk&limit=2${q}`, headers);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      seen.push(...res.body.data.map((p: Listed) => p.name));
      cursor = res.body.meta.next_cursor;
    }
    assert.deepEqual(seen, ['Walk 5', 'Walk 4', 'Walk 3', 'Walk 2', 'Walk 1', 'Walk 0']);

    const refreshed = await call(at(1), 'POST', '/v1/auth/refresh', tagged(), { refresh_token: refreshToken });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    refreshToken = refreshed.body.data.refresh_token;
    for (let i = 0; i < 4; i++) {
      const headers = { authorization: `Bearer ${refreshed.body.data.access_token}`, ...tagged() };
      ids.push(headers['x-request-id']);
      assert.equal((await call(at(i), 'GET', '/v1/me', headers)).status, 200);
    }
    const served = await servers(ids);
    assert.equal(served.size, 2, `both ${setup.processes} served the walk: ${[...served]}`);
  });

  it(`createProject: the same Idempotency-Key sent concurrently to both ${setup.processes} creates exactly one project`, async () => {
    const sent = Array.from({ length: 10 }, (_, i) => ({ ...auth, ...tagged(), 'idempotency-key': 'race-1' }));
    const responses = await Promise.all(sent.map((headers, i) => call(at(i), 'POST', '/v1/projects', headers, { name: 'Once' })));
    const statuses = responses.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), statuses.join(' '));
    for (const r of responses.filter((r) => r.status === 409)) assert.equal(r.body.error.code, 'idempotency_key_in_use');
    assert.equal(new Set(responses.filter((r) => r.status === 201).map((r) => r.body.data.id)).size, 1, statuses.join(' '));
    assert.equal((await listAll(targets, auth, 'Once')).length, 1);
    const served = await servers(sent.map((h) => h['x-request-id']));
    assert.equal(served.size, 2, `the key reached both ${setup.processes}: ${[...served]}`);
  });

  it(`createProject: under write load alternating between the ${setup.processes}, with one SIGKILLed and brought back twice, every acknowledged create exists exactly once and every retried key made one project`, async () => {
    const prefix = `load-${randomBytes(3).toString('hex')}`;
    const { acknowledged, retried, figures } = await writeLoad({
      targets,
      auth,
      prefix,
      clients: 4,
      kills: 2,
      acksBetweenKills: 40,
      killOne: () => setup.killOne(),
    });

    // The listing, its pages alternating between the processes, holds each acknowledged create once and nothing else.
    const listed = await listAll(targets, auth, prefix);
    const byName = new Map<string, string[]>();
    for (const p of listed) byName.set(p.name, [...(byName.get(p.name) ?? []), p.id]);
    const duplicates = [...byName.values()].reduce((n, ids) => n + ids.length - 1, 0);
    const lost = [...acknowledged].filter(([i, id]) => !byName.get(`${prefix}-${i}`)?.includes(id)).length;
    const strays = [...byName.keys()].filter((name) => !acknowledged.has(Number(name.slice(prefix.length + 1)))).length;

    // A retried key sent once more, to either process, replays the one project it made.
    let replays = 0;
    for (const i of retried) {
      const again = await call(at(i + replays), 'POST', '/v1/projects', { ...auth, 'idempotency-key': `${prefix}-k-${i}` }, { name: `${prefix}-${i}` });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(again.headers['idempotent-replayed'], 'true', `k-${i} replays`);
      assert.equal(again.body.data.id, acknowledged.get(i), `k-${i} names the project it made`);
      replays += 1;
    }

    // Both processes answer after the run, the one brought back included.
    const ids = Array.from({ length: 8 }, () => tagged()['x-request-id']);
    for (const [n, id] of ids.entries()) assert.equal((await call(at(n), 'GET', '/v1/me', { ...auth, 'x-request-id': id })).status, 200);
    const answering = await servers(ids);

    console.log(
      `      ${setup.name}: kills=${figures.kills} creates sent=${figures.sent} acknowledged=${figures.acknowledged} ` +
        `retried keys=${figures.retried} (retry requests=${figures.retryRequests}: connection errors=${figures.connectionErrors} ` +
        `5xx=${figures.status5xx} 409 in use=${figures.inUse409}; committed before the failure, so replayed=${figures.replayed}) ` +
        `listed=${listed.length} duplicates=${duplicates} lost=${lost} strays=${strays} answering=${[...answering].join(',')}`,
    );
    assert.equal(duplicates, 0, 'a key created more than one project');
    assert.equal(lost, 0, 'an acknowledged create is missing');
    assert.equal(strays, 0, 'a project no create acknowledged');
    assert.equal(listed.length, acknowledged.size);
    assert.equal(figures.sent, figures.acknowledged, 'every create sent was acknowledged in the end');
    assert.equal(figures.kills, 2);
    assert.ok(figures.retried > 0, 'the kills interrupted some creates');
    assert.deepEqual([...answering].sort(), setup.live().sort(), `both ${setup.processes} answer`);
  });
});
