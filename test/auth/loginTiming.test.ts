import assert from 'node:assert/strict';
import { createLoginTiming, type LoginTiming } from '../../src/auth/loginTiming';
import { createAuthService } from '../../src/auth/authService';
import { createAccessTokenService } from '../../src/auth/accessTokens';
import { ephemeralSecrets } from '../../src/secrets';
import { openAsyncSqliteStore as openStore } from '../../src/store/sqlite/async';
import { createUserInWorkspace } from '../../src/identity/users';

// Issue #11 item 4. Durations are never asserted: a fake clock and a recording wait show what the
// service asks for. scripts/loginTiming.ts measures the real medians.

function fakeTiming() {
  let now = 0;
  const waits: number[] = [];
  const timing = createLoginTiming(
    () => now,
    async (ms) => {
      waits.push(ms);
      now += ms;
    },
  );
  return { timing, waits, advance: (ms: number) => (now += ms) };
}

describe('auth: createLoginTiming', () => {
  it('pads to the slowest of the recent current-cost verifications, measured from the start', async () => {
    const { timing, waits, advance } = fakeTiming();
    assert.equal(timing.empty, true);
    for (const ms of [300, 380, 340]) {
      const started = timing.start();
      advance(ms);
      timing.record(started);
    }
    assert.equal(timing.empty, false);
    const started = timing.start();
    advance(13);
    await timing.pad(started);
    assert.deepEqual(waits, [367]);
    const late = timing.start();
    advance(500);
    await timing.pad(late);
    assert.deepEqual(waits, [367], 'no wait once the floor has passed');
  });

  it('forgets samples beyond its window of 16, so the floor follows the machine', async () => {
    const { timing, waits, advance } = fakeTiming();
    for (const ms of [1000, ...Array(16).fill(100)]) {
      const started = timing.start();
      advance(ms);
      timing.record(started);
    }
    await timing.pad(timing.start());
    assert.deepEqual(waits, [100]);
  });
});

describe('auth: login with hashes of an older cost (createAuthService)', () => {
  async function setup() {
    const store = openStore(':memory:');
    const secrets = ephemeralSecrets();
    const accessTokens = createAccessTokenService({
      privateKey: secrets.jwtPrivateKey,
      publicKey: secrets.jwtPublicKey,
      keyId: secrets.jwtKeyId,
      issuer: 'http://x.test',
      audience: 'http://x.test/v1',
      ttlSeconds: 900,
    });
    const fake = fakeTiming();
    const pads: number[] = [];
    const timing: LoginTiming = {
      start: fake.timing.start,
      record: fake.timing.record,
      get empty() {
        return fake.timing.empty;
      },
      pad: async (started) => void pads.push(started),
    };
    const auth = createAuthService({
      store,
      accessTokens,
      pepper: secrets.pepper,
      passwordHashCost: 11,
      refreshIdleTtlSeconds: 3600,
      refreshAbsoluteTtlSeconds: 7200,
      timing,
    });
    const make = (email: string, cost: number) =>
      createUserInWorkspace(store, { email, password: 'correct horse battery', workspace: 'W', role: 'owner', passwordHashCost: cost });
    await make('old@example.com', 10);
    await make('new@example.com', 11);
    return { store, auth, pads };
  }
  const hashOf = async (store: ReturnType<typeof openStore>, email: string) => (await store.identity.findUserByEmail(email))!.passwordHash;

  it('login: 200 re-hashes a password stored at an older cost, once, and it keeps working', async () => {
    const { store, auth } = await setup();
    assert.match(await hashOf(store, 'old@example.com'), /^scrypt\$ln=10,/);
    await auth.login('old@example.com', 'correct horse battery');
    const upgraded = await hashOf(store, 'old@example.com');
    assert.match(upgraded, /^scrypt\$ln=11,/);
    await auth.login('old@example.com', 'correct horse battery');
    assert.equal(await hashOf(store, 'old@example.com'), upgraded, 'a current hash is left alone');
  });

  it('login: 401 every failure is padded: unknown email, wrong password at either cost, and no rehash on failure', async () => {
    const { store, auth, pads } = await setup();
    for (const email of ['nobody@example.com', 'old@example.com', 'new@example.com']) {
      await assert.rejects(auth.login(email, 'wrong password!'), { code: 'invalid_credentials' });
    }
    assert.equal(pads.length, 3);
    assert.match(await hashOf(store, 'old@example.com'), /^scrypt\$ln=10,/);
    await auth.login('new@example.com', 'correct horse battery');
    assert.equal(pads.length, 3, 'a success is not padded');
  });
});
