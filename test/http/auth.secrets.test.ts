import assert from 'node:assert/strict';
import { createUser, makeTestApp, type Tokens } from '../helpers';

describe('auth secrets hygiene', () => {
  it('login, refreshToken, getMe, logout: the log holds neither the password nor any access or refresh token', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'debug' });
    const user = await createUser(t, { password: 'Sup3r-Secret-Passw0rd!' });

    // A failed login with a near-miss password, then a good one.
    await t.http.post('/v1/auth/login').send({ email: user.email, password: 'Sup3r-Secret-Passw0rd?' }).expect(401);
    const first: Tokens = (
      await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200)
    ).body.data;
    const second: Tokens = (
      await t.http.post('/v1/auth/refresh').send({ refresh_token: first.refresh_token }).expect(200)
    ).body.data;
    await t.http.get('/v1/me').set('Authorization', `Bearer ${second.access_token}`).expect(200);
    // Reuse detection and logout log nothing secret either.
    await t.http.post('/v1/auth/refresh').send({ refresh_token: first.refresh_token }).expect(401);
    await t.http.get('/v1/me').set('Authorization', `Bearer ${first.access_token}`).expect(401);
    await t.http.post('/v1/auth/logout').send({ refresh_token: second.refresh_token }).expect(204);
    // Secrets sent where they do not belong (query string) stay out of the log too.
    await t.http.get(`/v1/me?access_token=${second.access_token}`);

    const log = t.rawLog();
    // Control: requests were logged, so the absence below means something.
    assert.ok(t.logs.some((l) => l.route === '/v1/auth/login' && l.status === 200), 'login was logged');
    assert.ok(t.logs.some((l) => l.route === '/v1/auth/refresh' && l.status === 200), 'refresh was logged');

    const secrets: Record<string, string> = {
      password: user.password,
      'wrong password': 'Sup3r-Secret-Passw0rd?',
      'first access token': first.access_token,
      'second access token': second.access_token,
      'first refresh token': first.refresh_token,
      'second refresh token': second.refresh_token,
      // Parts that would survive truncation or a different rendering.
      'first refresh token secret part': first.refresh_token.slice(3),
      'second access token signature': second.access_token.split('.')[2],
      'second access token payload': second.access_token.split('.')[1],
    };
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(!log.includes(value), `the log contains the ${what}`);
    }
  });
});
