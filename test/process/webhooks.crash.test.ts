import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from './run';
import { startReceiver, type Receiver } from '../webhooks/receiver';
import { assertEventPayload } from '../support/webhooks';
import { crashEngines as engines } from './crashEngines';

const KILLS = 3;
const CLIENTS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


for (const engine of engines) describe(`webhook deliveries survive SIGKILL (src/main.ts, ${engine.name})`, function () {
  this.timeout(120_000);
  let dataDir: string;
  let server: RunningServer | undefined;
  let receiver: Receiver;
  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGKILL');
    await receiver?.close();
    await engine.tearDown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('createProject: after SIGKILLs under write load, every committed project.created reaches the receiver signed, and no event names an uncommitted project', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-webhooks-'));
    // Slow answers keep deliveries in flight (leased) when the process is killed.
    receiver = await startReceiver((res) => setTimeout(() => res.writeHead(204).end(), 20));
    const env = {
      DATA_DIR: dataDir,
      PASSWORD_HASH_COST: '10',
      RATE_LIMIT_MULTIPLIER: '1000',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '100',
      // A killed process's leases (2 timeouts + 5 s) run out within the test.
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.5,1,1,1,1,1',
      ...(await engine.setUp()),
    };
    server = await startServer(env);
    const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr());
    assert.ok(m, 'first start prints credentials');
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: m[1], password: m[2] }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { data: { access_token: string } }).data.access_token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const endpoint = await fetch(`${server.url}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ url: `${receiver.origin}/hook`, enabled_events: ['project.created'] }),
    });
    assert.equal(endpoint.status, 201);
    receiver.secrets = [((await endpoint.json()) as { data: { secret: string } }).data.secret];

    const figures = { kills: 0, sent: 0, acknowledged: 0, unacknowledged: 0 };
    let next = 0;
    for (let round = 0; round < KILLS; round++) {
      const url = server.url;
      let dead = false;
      let answered = () => {};
      const serving = new Promise<void>((resolve) => (answered = resolve));
      const client = async () => {
        while (!dead) {
          const i = next++;
          figures.sent += 1;
          try {
            const res = await fetch(`${url}/v1/projects`, {
              method: 'POST',
              headers: { ...json, 'idempotency-key': `k-${i}` },
              body: JSON.stringify({ name: `p-${i}` }),
              signal: AbortSignal.timeout(15_000),
            });
            answered();
            if (res.status === 201) figures.acknowledged += 1;
            else figures.unacknowledged += 1;
          } catch {
            figures.unacknowledged += 1;
            if (!dead) await sleep(5);
          }
        }
      };
      const clients = Array.from({ length: CLIENTS }, client);
      // The kill comes 400-800 ms into the load, counted from the server's first answer: on a
      // loaded machine its first requests (validators compiled on first use) took longer than
      // that, and a kill before any answer tested nothing (seen with parallel test workers).
      await Promise.race([serving, sleep(15_000)]);
      await sleep(400 + Math.floor(Math.random() * 400));
      await server.stop('SIGKILL');
      figures.kills += 1;
      dead = true;
      await Promise.all(clients);
      server = await startServer(env);
    }

    // What committed: the projects that exist (an unacknowledged create may have committed too).
    const projects: string[] = [];
    for (let cursor: string | null = null, more = true; more; ) {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await fetch(`${server.url}/v1/projects?limit=100${q}`, { headers: auth });
      const body = (await res.json()) as { data: { id: string }[]; meta: { has_more: boolean; next_cursor: string | null } };
      projects.push(...body.data.map((p) => p.id));
      more = body.meta.has_more;
      cursor = body.meta.next_cursor;
    }
    const delivered = () => new Set(receiver.received.map((r) => (JSON.parse(r.body) as { data: { object: { id: string } } }).data.object.id));
    for (let waited = 0; projects.some((id) => !delivered().has(id)) && waited < 45_000; waited += 250) await sleep(250);

    const got = delivered();
    const missing = projects.filter((id) => !got.has(id));
    const invented = [...got].filter((id) => !projects.includes(id));
    const webhookIds = receiver.received.map((r) => String(r.headers['webhook-id']));
    console.log(
      `      webhook crash figures (${engine.name}): kills=${figures.kills} creates sent=${figures.sent} acknowledged=${figures.acknowledged} ` +
        `in flight or failed=${figures.unacknowledged} committed=${projects.length} deliveries received=${receiver.received.length} ` +
        `distinct events=${new Set(webhookIds).size} redelivered=${webhookIds.length - new Set(webhookIds).size} missing=${missing.length} invented=${invented.length}`,
    );
    assert.deepEqual(missing, [], 'every committed change was delivered');
    assert.deepEqual(invented, [], 'no event for a change that did not commit');
    for (const r of receiver.received) {
      assert.deepEqual(r.verifiedWith, receiver.secrets, 'every delivery is signed with the endpoint secret');
      assertEventPayload(JSON.parse(r.body));
      assert.equal(JSON.parse(r.body).id, r.headers['webhook-id']);
    }
    assert.ok(figures.acknowledged > 0, 'the load reached the server');
    assert.equal(await server.stop('SIGTERM'), 0);
  });
});
