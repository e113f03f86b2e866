import assert from 'node:assert/strict';
import { createUser, makeTestApp, type Tokens } from '../helpers';
import { apiKey, bearer, tamper } from '../support/apiKeys';
import { RECEIVER_URL, WEBHOOK_ENV } from '../support/webhooks';

/**
 * Every secret the API hands out or accepts, driven through the operations that handle them with
 * LOG_LEVEL=debug, then looked for in the log stream exactly as pino wrote it: the passwords, the
 * access and refresh tokens, both API keys and both webhook signing secrets.
 */
describe('the log at debug holds no secret', () => {
  it('login, refreshToken, createApiKey, rotateApiKey, createWebhookEndpoint, rotateWebhookSecret', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'debug', ...WEBHOOK_ENV });
    const user = await createUser(t, { password: 'Log-Secret-Passw0rd!' });
    const secrets: Record<string, string> = { password: user.password };

    await t.http.post('/v1/auth/login').send({ email: user.email, password: 'Log-Secret-Passw0rd?' }).expect(401);
    secrets['wrong password'] = 'Log-Secret-Passw0rd?';
    const first: Tokens = (await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200)).body.data;
    const second: Tokens = (await t.http.post('/v1/auth/refresh').send({ refresh_token: first.refresh_token }).expect(200)).body.data;
    Object.assign(secrets, {
      'first access token': first.access_token,
      'first refresh token': first.refresh_token,
      'second access token': second.access_token,
      'second refresh token': second.refresh_token,
    });
    const auth = bearer(`Bearer ${second.access_token}`);

    const key = (await t.http.post('/v1/api-keys').set(auth).send({ name: 'logs', scopes: ['projects:read', 'keys:write'] }).expect(201)).body.data;
    const rotated = (await t.http.post(`/v1/api-keys/${key.id}/rotate`).set(apiKey(key.key)).send({ grace_period_seconds: 60 }).expect(200)).body.data;
    await t.http.get('/v1/projects').set(apiKey(rotated.key)).expect(200);
    Object.assign(secrets, { 'API key': key.key, 'rotated API key': rotated.key });

    const endpoint = (
      await t.http.post('/v1/webhook-endpoints').set(auth).send({ url: RECEIVER_URL, enabled_events: ['project.created'] }).expect(201)
    ).body.data;
    const newSecret = (await t.http.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`).set(auth).expect(200)).body.data;
    Object.assign(secrets, { 'webhook secret': endpoint.secret, 'rotated webhook secret': newSecret.secret });

    // Secrets sent where they do not belong (the query string) and refused credentials.
    await t.http.get(`/v1/me?access_token=${second.access_token}&api_key=${rotated.key}`);
    await t.http.get('/v1/me').set(bearer(`Bearer ${tamper(rotated.key)}`)).expect(401);
    await t.http.post('/v1/auth/refresh').send({ refresh_token: first.refresh_token }).expect(401);

    const log = t.rawLog();
    const operations = new Set(t.logs.filter((l) => l.msg === 'request').map((l) => l.operation_id));
    for (const op of ['login', 'refreshToken', 'createApiKey', 'rotateApiKey', 'createWebhookEndpoint', 'rotateWebhookSecret']) {
      assert.ok(operations.has(op), `${op} was logged (so the absence below means something)`);
    }
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(value.length >= 16, `${what} is long enough to search for`);
      // The whole value and its tail (what a truncated or re-encoded rendering would keep).
      assert.ok(!log.includes(value), `the log contains the ${what}`);
      assert.ok(!log.includes(value.slice(-16)), `the log contains the end of the ${what}`);
    }
  });
});
