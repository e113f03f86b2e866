// Credentials: an API key, or an email and password with which the SDK logs in and keeps the
// session alive. Access tokens live 60 s here (ACCESS_TOKEN_TTL_SECONDS), on a fake clock that
// both the service and the SDK read, so a session of many token lifetimes takes no real time.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CloudApi, errorIs } from '../../sdk/src';
import { installClock, type FakeClock } from '../clock';
import { makeTestApp } from '../helpers';
import { live, recorder, type Live, type Recorder } from './harness';

const TTL = 60;

/** A fetch that changes the bearer token of the next `n` requests: the server refuses them as invalid_token. */
function spoiling(rec: Recorder, n: number): Recorder {
  let left = n;
  const inner = rec.fetch;
  return {
    ...rec,
    fetch: (input, init) => {
      const headers = new Headers(init.headers);
      const auth = headers.get('authorization');
      if (auth && left-- > 0) headers.set('authorization', `${auth.slice(0, -4)}AAAA`);
      return inner(input, { ...init, headers });
    },
  };
}

describe('SDK: authentication', () => {
  let l: Live;
  let clock: FakeClock;
  let rec: Recorder;
  beforeEach(async () => {
    clock = installClock();
    l = await live(makeTestApp({ ACCESS_TOKEN_TTL_SECONDS: String(TTL) }));
    rec = recorder();
  });
  afterEach(async () => {
    clock.restore();
    await l.close();
  });

  const session = (r: Recorder = rec) => l.client({ email: l.user.email, password: l.user.password }, r);
  const logins = () => rec.count('POST', /^\/v1\/auth\/login$/);
  const refreshes = () => rec.count('POST', /^\/v1\/auth\/refresh$/);
  const rejected = () => rec.sent.filter((s) => s.status === 401).length;

  it('getMe: an API key is sent as x-api-key', async () => {
    const me = await l.client({}, rec).me.get();
    assert.equal(me.type, 'api_key');
    assert.equal(rec.sent[0].headers.get('x-api-key'), l.apiKey);
    assert.equal(rec.sent[0].headers.get('authorization'), null);
  });

  it('login, refreshToken: a session outlives its access token 19 times over, refreshed before each expiry, never refused', async () => {
    const client = session();
    assert.equal((await client.me.get()).type, 'user');
    for (let i = 0; i < 12; i++) {
      clock.advance(45);
      await client.projects.list().page();
    }
    // Idle for ten minutes: the token is long expired, the refresh token is not.
    clock.advance(600);
    await client.me.get();
    assert.equal(logins(), 1);
    assert.equal(refreshes(), 13);
    assert.equal(rejected(), 0);
    console.log(`      a session of ${12 * 45 + 600} s on ${TTL} s access tokens: 1 login, ${refreshes()} refreshes, no 401`);
  });

  it('refreshToken: calls that find the token due share one refresh (a refresh token is single-use)', async () => {
    const client = session();
    await client.me.get();
    clock.advance(50);
    await Promise.all(Array.from({ length: 5 }, () => client.me.get()));
    assert.equal(refreshes(), 1);
    assert.equal(rejected(), 0);
  });

  it('login: a caller that aborts while the shared login is in flight stops waiting; the others get the session', async () => {
    const client = session();
    const controller = new AbortController();
    const leaving = client.me.get({ signal: controller.signal }).catch((e: unknown) => e);
    const staying = client.me.get();
    controller.abort();
    assert.equal(((await leaving) as Error).name, 'AbortError');
    assert.equal((await staying).type, 'user');
    assert.equal(logins(), 1);
  });

  it('401 invalid_token: the SDK refreshes once and repeats the call (not counted as a retry)', async () => {
    const spoiled = spoiling(rec, 1);
    const client = session(spoiled);
    await client.me.get();
    assert.deepEqual(
      rec.sent.map((s) => `${s.method} ${s.path} ${s.status}`),
      ['POST /v1/auth/login 200', 'GET /v1/me 401', 'POST /v1/auth/refresh 200', 'GET /v1/me 200'],
    );
    assert.equal(rec.retries.length, 0);
  });

  it('401 invalid_token on a revoked session: the refresh is refused too, so the SDK logs in again', async () => {
    const client = session();
    await client.me.get();
    await l.t.store.sessions.revokeAllForUser(l.user.userId, 'test');
    assert.equal((await client.me.get()).type, 'user');
    assert.equal(logins(), 2);
    assert.deepEqual(
      rec.sent.filter((s) => s.status === 401).map((s) => s.path),
      ['/v1/me', '/v1/auth/refresh'],
    );
  });

  it('401 invalid_token again after the renewal: the call fails with it, after one renewal only', async () => {
    const client = session(spoiling(rec, 100));
    const err = await client.me.get().catch((e: unknown) => e);
    assert.ok(errorIs.invalidToken(err));
    assert.equal(rec.count('GET', /^\/v1\/me$/), 2);
  });

  it('logout: ends the session on the server; the next call logs in again', async () => {
    const client = session();
    await client.me.get();
    await client.auth.logout();
    await client.me.get();
    assert.equal(logins(), 2);
    assert.equal(rec.count('POST', /^\/v1\/auth\/logout$/), 1);
  });

  it('login: a wrong password is an ApiError invalid_credentials, not retried', async () => {
    const client = l.client({ email: l.user.email, password: 'not the password at all' }, rec);
    const err = await client.projects.list().page().catch((e: unknown) => e);
    assert.ok(errorIs.invalidCredentials(err));
    assert.equal(err.status, 401);
    assert.equal(rec.sent.length, 1);
    assert.ok(!inspect(err).includes('not the password'));
  });

  it('never shows a secret: not in the client when inspected, not on the console', async () => {
    const said: unknown[] = [];
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
    const saved = methods.map((m) => console[m]);
    for (const m of methods) console[m] = (...args: unknown[]) => void said.push(args);
    let shown: string;
    try {
      const client = session();
      await client.me.get();
      clock.advance(50);
      await client.me.get();
      await client.projects.get('prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R').catch(() => {});
      shown = inspect(client, { depth: Infinity, showHidden: true }) + inspect(l.client(), { depth: Infinity, showHidden: true });
    } finally {
      methods.forEach((m, i) => (console[m] = saved[i] as never));
    }
    assert.deepEqual(said, []);
    const tokens = rec.sent.map((s) => s.headers.get('authorization')?.slice('Bearer '.length)).filter((t): t is string => !!t);
    assert.ok(tokens.length >= 2);
    for (const secret of [l.user.password, l.apiKey, ...tokens]) assert.ok(!shown.includes(secret), 'a secret is visible');
  });

  it('CloudApi: refuses both an API key and a password, and an email without a password', () => {
    assert.throws(() => new CloudApi({ baseUrl: l.url, apiKey: 'k', email: 'e', password: 'p' }), TypeError);
    assert.throws(() => new CloudApi({ baseUrl: l.url, email: 'e' }), TypeError);
    assert.throws(() => new CloudApi({ baseUrl: 'ftp://x' }), TypeError);
  });
});
