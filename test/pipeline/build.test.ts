import assert from 'node:assert/strict';
import supertest from 'supertest';
import { handlers } from '../../generated/handlers';
import { defineHandler } from '../../src/pipeline/handler';
import { createApp } from '../../src/app';
import { testDeps } from '../support/app';
import { createRouter } from '../../src/contract/router';
import { listOperations } from '../../src/contract/operations';
import { loadSpec } from '../../src/contract/document';

const VALIDATE = ['validateRequest'];

describe('pipeline: one per operation, built from the contract', () => {
  const deps = testDeps();
  const { pipelines } = createApp(deps);
  const stepsOf = (operationId: string) => pipelines.get(operationId)!.steps.map((s) => s.name);
  after(() => deps.store.close());

  it('every operation of the contract has a pipeline, and nothing else has one', () => {
    const ids = listOperations(loadSpec()).map((o) => o.operationId);
    assert.deepEqual([...pipelines.keys()].sort(), ids.sort());
  });

  it('login: no authentication, metering or authorization (no security); body parsed, then the per-account limit', () => {
    assert.deepEqual(stepsOf('login'), ['limitCaller', 'parseBody', 'limitBody', 'requireWellFormedBody', ...VALIDATE]);
    assert.equal(pipelines.get('login')!.execution, 'handle');
  });

  it('listProjects: authenticate, meter, limit, authorize, validate; no body, no transaction', () => {
    assert.deepEqual(stepsOf('listProjects'), ['authenticate', 'meter', 'limitCaller', 'authorize', ...VALIDATE]);
    assert.equal(pipelines.get('listProjects')!.execution, 'handle');
  });

  it('createProject and updateProject (Idempotency-Key, If-Match): a body, and the handler in one transaction', () => {
    for (const id of ['createProject', 'updateProject']) {
      assert.deepEqual(stepsOf(id), ['authenticate', 'meter', 'limitCaller', 'parseBody', 'authorize', 'requireWellFormedBody', ...VALIDATE]);
      assert.equal(pipelines.get(id)!.execution, 'transaction+handle');
    }
  });

  it('deleteProject (If-Match, no body): in a transaction, nothing read from the body', () => {
    assert.deepEqual(stepsOf('deleteProject'), ['authenticate', 'meter', 'limitCaller', 'authorize', ...VALIDATE]);
    assert.equal(pipelines.get('deleteProject')!.execution, 'transaction+handle');
  });

  it('production (responses not validated): a reply goes out as the handler made it, unchecked', async () => {
    const prod = testDeps({ NODE_ENV: 'production', VALIDATE_RESPONSES: 'false' }, false);
    const drifting = defineHandler('login', [], async () => ({ status: 200, body: { undeclared: true } }) as never);
    const { app } = createApp({ ...prod, handlers: { ...handlers, login: drifting } });
    const res = await supertest(app).post('/v1/auth/login').send({ email: 'a@example.com', password: 'correct horse battery staple' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { undeclared: true });
    await prod.store.close();
  });
});

describe('pipeline: matching a request to its operation', () => {
  const router = createRouter(listOperations(loadSpec()));
  const match = (method: string, path: string) => router.match(method, path);

  it('getProject: path parameters, any case, an optional trailing slash; HEAD is the GET', () => {
    for (const [method, path] of [
      ['GET', '/v1/projects/prj_1'],
      ['GET', '/V1/Projects/prj_1/'],
      ['HEAD', '/v1/projects/prj_1'],
    ]) {
      assert.equal(match(method, path)?.op?.operationId, 'getProject', `${method} ${path}`);
    }
  });

  it('a method the path lacks: the methods it allows, HEAD beside GET; an unknown path: nothing', () => {
    assert.deepEqual(match('PUT', '/v1/projects'), { allow: 'GET, HEAD, POST' });
    assert.deepEqual(match('GET', '/v1/api-keys/key_1/rotate'), { allow: 'POST' });
    assert.equal(match('GET', '/v1/nowhere'), undefined);
    assert.equal(match('GET', '/v1/projects/a/b'), undefined);
  });
});
