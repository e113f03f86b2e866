import assert from 'node:assert/strict';
import { makeTestApp, signedIn } from '../helpers';
import { bearer } from '../support/apiKeys';

describe('access log', () => {
  it('listProjects: one line per request with its operation, route, status, duration and principal', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'info' });
    const owner = await signedIn(t);
    await t.http.get('/v1/projects?limit=20').set(bearer(owner.auth)).set('X-Request-Id', 'access-log-1').expect(200);
    const lines = t.logs.filter((l) => l.request_id === 'access-log-1');
    assert.equal(lines.length, 1);
    const { time, duration_ms, ...line } = lines[0];
    assert.match(String(time), /^\d{4}-\d\d-\d\dT/);
    assert.ok(typeof duration_ms === 'number' && duration_ms >= 0);
    assert.deepEqual(line, {
      level: 'info',
      msg: 'request',
      request_id: 'access-log-1',
      method: 'GET',
      route: '/v1/projects',
      operation_id: 'listProjects',
      status: 200,
      workspace_id: owner.workspaceId,
      user_id: owner.userId,
    });
  });

  it('a path outside the contract is logged by its path, without an operation', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'info' });
    await t.http.get('/v1/nowhere').set('X-Request-Id', 'access-log-2').expect(404);
    const line = t.logs.find((l) => l.request_id === 'access-log-2');
    assert.ok(line);
    assert.equal(line.route, '/v1/nowhere');
    assert.equal(line.status, 404);
    assert.equal('operation_id' in line, false);
  });

  it('a documentation page is logged by the path it was asked at, without its query', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'info' });
    await t.http.get('/docs/?access_token=not-for-the-log').set('X-Request-Id', 'access-log-3').expect(200);
    const line = t.logs.find((l) => l.request_id === 'access-log-3');
    assert.equal(line?.route, '/docs/');
    assert.doesNotMatch(t.rawLog(), /not-for-the-log/);
  });

  it('LOG_LEVEL=warn writes no access line', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'warn' });
    const owner = await signedIn(t);
    await t.http.get('/v1/projects').set(bearer(owner.auth)).expect(200);
    await t.http.get('/v1/nowhere').expect(404);
    assert.deepEqual(t.logs, []);
  });
});
