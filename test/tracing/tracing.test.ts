import assert from 'node:assert/strict';
import { testSchema } from '../support/postgres';
import { REDIS_URL, redisRun } from '../support/redis';
import { call, callerContext, descendants, startTraced, type Traced } from './tracing.support';

const DATABASE_URL = process.env.DATABASE_URL;
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

// Issue #27: the service's spans, as an OTLP/HTTP receiver gets them, in both protocols and on
// both engines (PostgreSQL with rate limits in Redis when the URLs are set).
const setups = [
  { name: 'SQLite, OTLP http/protobuf', protocol: 'http/protobuf' as const, engine: 'sqlite', run: true },
  { name: 'PostgreSQL and Redis, OTLP http/json', protocol: 'http/json' as const, engine: 'postgresql', run: Boolean(DATABASE_URL && REDIS_URL) },
];

for (const setup of setups) {
  (setup.run ? describe : describe.skip)(`tracing: spans exported over OTLP (${setup.name})`, function () {
    this.timeout(90_000);
    let t: Traced;
    const redis = redisRun();
    let schema: Awaited<ReturnType<typeof testSchema>> | undefined;

    before(async () => {
      schema = setup.engine === 'postgresql' ? await testSchema(DATABASE_URL!) : undefined;
      const engineEnv: Record<string, string> = schema
        ? { DATABASE_URL: schema.url, REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: redis.prefix, RATE_LIMIT_STORE: 'redis' }
        : {};
      t = await startTraced(setup.protocol, engineEnv);
    });
    after(async () => {
      await t?.stop();
      await schema?.drop();
      await redis.cleanUp();
    });

    it('listProjects: a traceparent is continued by a server span named by the route, with the HTTP attributes and child spans down to the database', async () => {
      const caller = callerContext();
      const res = await call(t.server.url, 'GET', '/v1/projects', { 'x-api-key': t.apiKey, traceparent: caller.traceparent, 'user-agent': 'trace-test/1.0' });
      assert.equal(res.status, 200);
      const span = await t.receiver.waitFor((s) => s.traceId === caller.traceId && s.kind === SERVER);
      assert.equal(span.parentSpanId, caller.spanId);
      assert.equal(span.name, 'GET /v1/projects');
      assert.deepEqual(
        { ...span.attributes, 'server.address': undefined },
        {
          'http.request.method': 'GET',
          'http.route': '/v1/projects',
          'http.response.status_code': 200,
          'url.scheme': 'http',
          'server.address': undefined,
          'user_agent.original': 'trace-test/1.0',
          'cloud_api.operation_id': 'listProjects',
          'cloud_api.request_id': res.headers.get('x-request-id'),
          'cloud_api.workspace_id': (await call(t.server.url, 'GET', '/v1/me', { 'x-api-key': t.apiKey })).body.data.workspace.id,
        },
      );
      assert.equal(span.resource['service.name'], 'cloud-api-test');
      await t.receiver.waitFor((s) => s.traceId === caller.traceId && s.attributes['db.system'] === setup.engine);
      const children = descendants(t.receiver.spans, span);
      const names = new Set(children.map((s) => s.name));
      for (const step of ['authenticate', 'rate limit', 'handle']) assert.ok(names.has(step), `${step} in ${[...names]}`);
      const statement = children.find((s) => s.attributes['db.system'] === setup.engine && s.name === 'SELECT projects');
      assert.ok(statement, `a SELECT of projects among ${[...names]}`);
      assert.equal(statement.kind, CLIENT);
      assert.equal(statement.attributes['db.operation.name'], 'SELECT');
      assert.equal(statement.attributes['db.collection.name'], 'projects');
      if (setup.engine === 'postgresql') assert.ok(children.some((s) => s.attributes['db.system'] === 'redis'), `a Redis command among ${[...names]}`);
    });

    it('getProject: a failing request records error.type (its error code), and a request without traceparent starts a trace', async () => {
      const res = await call(t.server.url, 'GET', '/v1/projects/prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R', { 'x-api-key': t.apiKey });
      assert.equal(res.status, 404);
      const requestId = res.headers.get('x-request-id');
      const span = await t.receiver.waitFor((s) => s.kind === SERVER && s.attributes['cloud_api.request_id'] === requestId);
      assert.equal(span.parentSpanId, undefined);
      assert.equal(span.name, 'GET /v1/projects/{project_id}');
      assert.equal(span.attributes['error.type'], res.body.error.code);
      assert.equal(span.attributes['http.response.status_code'], 404);
      assert.notEqual(span.status, ERROR, 'a 4xx is the client\'s error, not the server span\'s');
    });

    it('createProject: its webhook delivery is a trace of its own, linked to the request, with a client span to the receiver', async () => {
      const caller = callerContext();
      const res = await call(t.server.url, 'POST', '/v1/projects', { 'x-api-key': t.apiKey, traceparent: caller.traceparent }, { name: 'traced' });
      assert.equal(res.status, 201);
      const request = await t.receiver.waitFor((s) => s.traceId === caller.traceId && s.kind === SERVER);
      assert.ok(descendants(t.receiver.spans, request).some((s) => s.name === 'transaction'));
      const delivery = await t.receiver.waitFor((s) => s.name === 'webhook delivery' && s.links.some((l) => l.spanId === request.spanId));
      assert.notEqual(delivery.traceId, caller.traceId);
      assert.deepEqual(delivery.links, [{ traceId: caller.traceId, spanId: request.spanId }]);
      assert.equal(delivery.attributes['cloud_api.event.type'], 'project.created');
      const attempt = await t.receiver.waitFor((s) => s.parentSpanId === delivery.spanId && s.kind === CLIENT && s.name === 'POST');
      assert.equal(attempt.attributes['server.address'], '127.0.0.1');
      assert.equal(attempt.attributes['http.response.status_code'], 200);
      assert.ok(t.hooks.received() >= 1);
    });

    it('listProjects: a caller\'s unsampled traceparent is followed: nothing of its trace is exported, its log line still names the trace', async () => {
      const caller = callerContext();
      const unsampled = caller.traceparent.replace(/-01$/, '-00');
      const res = await call(t.server.url, 'GET', '/v1/projects', { 'x-api-key': t.apiKey, traceparent: unsampled });
      assert.equal(res.status, 200);
      // A later sampled request's span arriving means this one's would have been exported by now.
      const after = callerContext();
      await call(t.server.url, 'GET', '/v1/projects', { 'x-api-key': t.apiKey, traceparent: after.traceparent });
      await t.receiver.waitFor((s) => s.traceId === after.traceId && s.kind === SERVER);
      assert.deepEqual(t.receiver.spans.filter((s) => s.traceId === caller.traceId), []);
      const line = t.server.stdout().split('\n').find((l) => l.includes(`"request_id":"${res.headers.get('x-request-id')}"`));
      assert.equal(JSON.parse(line!).trace_id, caller.traceId);
    });

    it('every log line written inside a traced request carries its trace_id and span_id', async () => {
      const caller = callerContext();
      const res = await call(t.server.url, 'GET', '/v1/projects', { 'x-api-key': t.apiKey, traceparent: caller.traceparent });
      const requestId = res.headers.get('x-request-id');
      const span = await t.receiver.waitFor((s) => s.traceId === caller.traceId && s.kind === SERVER);
      const line = t.server
        .stdout()
        .split('\n')
        .filter((l) => l.includes(`"request_id":"${requestId}"`))
        .map((l) => JSON.parse(l));
      assert.equal(line.length, 1, 'the access line');
      assert.equal(line[0].trace_id, caller.traceId);
      assert.equal(line[0].span_id, span.spanId);
    });

    it('no secret is exported: not the password, the tokens, the API key or the webhook secret', async () => {
      // Also a request carrying each in a header, a query and a body.
      await call(t.server.url, 'POST', `/v1/auth/refresh?token=${t.refreshToken}`, { cookie: `s=${t.accessToken}` }, { refresh_token: t.refreshToken });
      await call(t.server.url, 'GET', '/v1/projects', { authorization: `Bearer ${t.accessToken}`, 'x-api-key': t.apiKey });
      const last = await call(t.server.url, 'GET', '/v1/me', { 'x-api-key': t.apiKey });
      await t.receiver.waitFor((s) => s.attributes['cloud_api.request_id'] === last.headers.get('x-request-id'));
      const exported = t.receiver.bodies.map((b) => b.toString('latin1')).join('\n') + JSON.stringify(t.receiver.spans);
      for (const [what, secret] of Object.entries({ password: t.password, access: t.accessToken, refresh: t.refreshToken, key: t.apiKey, webhook: t.webhookSecret })) {
        assert.ok(!exported.includes(secret), `the ${what} secret is in the export`);
      }
      assert.ok(t.receiver.contentTypes.has(setup.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf'), [...t.receiver.contentTypes].join());
    });
  });
}
