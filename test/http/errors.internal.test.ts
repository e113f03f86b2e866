import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { expectError, signedIn } from '../helpers';
import { failingProjects, makeAppWith, testDeps } from '../support/app';
import { UNKNOWN_PROJECT_ID } from '../support/projects';
import { createApp } from '../../src/app';
import { SpecError, SPEC_PATH } from '../../src/contract/document';
import { handlers } from '../../generated/handlers';
import { defineHandler } from '../../src/pipeline/handler';

describe('errors: 500 internal_error reveals nothing', () => {
  it('an unexpected exception is 500 internal_error without message or stack; the log has both', async () => {
    const t = makeAppWith({ store: failingProjects('list', 'secret internal detail') });
    const { auth } = await signedIn(t);
    const res = await t.http.get('/v1/projects').set('Authorization', auth);
    const err = expectError(res, 500, 'internal_error');
    assert.deepEqual(res.body, {
      error: { code: 'internal_error', message: 'An unexpected error occurred.', details: [], request_id: err.request_id },
    });
    assert.ok(!res.text.includes('secret internal detail'), res.text);
    assert.ok(!/\bat /.test(res.text), `stack line in ${res.text}`);
    assert.ok(!/\.ts:\d+|node_modules|Error:/.test(res.text), res.text);
    const logged = t.logs.find((l) => l.level === 'error' && l.request_id === err.request_id);
    assert.ok(logged, 'an error line with the request id');
    assert.equal(logged.error, 'secret internal detail');
    assert.match(String(logged.stack), /secret internal detail[\s\S]*\n\s+at /);
    const access = t.logs.find((l) => l.msg === 'request' && l.request_id === err.request_id);
    assert.equal(access?.status, 500);
  });

  it('a handler reply that drifts from the contract is 500 internal_error (response validation)', async () => {
    const t = makeAppWith({
      handlers: { ...handlers, getProject: defineHandler('getProject', [], async () => ({ status: 200, body: { data: { id: 'x' } } }) as never) },
    });
    const { auth } = await signedIn(t);
    const res = await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`).set('Authorization', auth);
    const err = expectError(res, 500, 'internal_error');
    assert.deepEqual(err.details, []);
    const logged = t.logs.find((l) => l.level === 'error' && l.request_id === err.request_id);
    assert.ok(logged, 'the drift is logged');
    assert.match(String(logged.error), /200 response of getProject does not match the contract/);
    assert.match(JSON.stringify(logged.details), /must have required property 'name'/);
  });

  it('a list reply missing meta.next_cursor, or a project with an extra field, is 500 internal_error', async () => {
    const t = makeAppWith({
      handlers: {
        ...handlers,
        listProjects: defineHandler('listProjects', [], async () => ({ status: 200, body: { data: [], meta: { limit: 20, has_more: false } } }) as never),
        createProject: defineHandler('createProject', [], async () => ({
          status: 201,
          body: {
            data: {
              id: UNKNOWN_PROJECT_ID,
              name: 'x',
              slug: 'x',
              description: null,
              created_at: '2026-03-17T10:22:14.000Z',
              updated_at: '2026-03-17T10:22:14.000Z',
              workspace_id: 'ws_leaked',
            },
          },
        }) as never),
      },
    });
    const { auth } = await signedIn(t);
    expectError(await t.http.get('/v1/projects').set('Authorization', auth), 500, 'internal_error');
    const created = await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'x' });
    expectError(created, 500, 'internal_error');
    assert.ok(!created.text.includes('ws_leaked'));
  });
});

describe('errors: createApp refuses to start on a broken contract or handler map', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-spec-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const build = (over: { handlers?: Record<string, unknown>; specPath?: string }) => {
    const { config, store, secrets, logger } = testDeps();
    return () => createApp({ config, store, secrets, logger, ...over });
  };
  const specError = (pattern: RegExp) => (e: unknown) => {
    assert.ok(e instanceof SpecError, `expected SpecError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  };
  const writeSpec = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const contract = () => parse(readFileSync(SPEC_PATH, 'utf8'));

  it('throws SpecError naming the operation when a handler is missing', () => {
    const { getProject: _omit, ...rest } = handlers;
    assert.throws(build({ handlers: rest }), specError(/no handler for operation\(s\): getProject/));
  });

  it('throws SpecError naming every missing operation', () => {
    const { updateProject: _u, deleteProject: _d, ...rest } = handlers;
    assert.throws(build({ handlers: rest }), specError(/updateProject, deleteProject|deleteProject, updateProject/));
  });

  it('throws SpecError when a handler is not a function', () => {
    assert.throws(build({ handlers: { ...handlers, getProject: 'nope' } }), specError(/getProject/));
  });

  it('throws SpecError naming a handler that has no operation', () => {
    const extra = { ...handlers, archiveProject: { operationId: 'archiveProject', uses: [], run: async () => ({ status: 204 }) } };
    assert.throws(build({ handlers: extra }), specError(/without an operation: archiveProject/));
  });

  it('throws SpecError when the spec file does not exist', () => {
    assert.throws(build({ specPath: join(dir, 'missing.yaml') }), specError(/cannot be read or parsed/));
  });

  it('throws SpecError when the spec file is not YAML', () => {
    assert.throws(build({ specPath: writeSpec('broken.yaml', 'openapi: 3.1.0\npaths: {\n  - [\n') }), specError(/cannot be read or parsed/));
  });

  it('throws SpecError when the document is not OpenAPI 3.1', () => {
    const v30 = { ...contract(), openapi: '3.0.3' };
    assert.throws(build({ specPath: writeSpec('v30.yaml', stringify(v30)) }), specError(/not an OpenAPI 3\.1 document/));
    assert.throws(build({ specPath: writeSpec('empty.yaml', '') }), specError(/not an OpenAPI 3\.1 document/));
  });

  it('throws SpecError when the document has no paths', () => {
    assert.throws(build({ specPath: writeSpec('nopaths.yaml', 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\n') }), specError(/has no paths/));
  });

  it('throws SpecError for an operation without operationId, or an operationId used twice', () => {
    const noId = contract();
    delete noId.paths['/projects'].get.operationId;
    assert.throws(build({ specPath: writeSpec('noid.yaml', stringify(noId)) }), specError(/GET \/projects has no operationId/));
    const twice = contract();
    twice.paths['/projects'].get.operationId = 'getProject';
    assert.throws(build({ specPath: writeSpec('twice.yaml', stringify(twice)) }), specError(/getProject is used twice/));
  });

  it('throws SpecError for a security scheme the service cannot check, or a requirement naming an undefined scheme', () => {
    const oauth = contract();
    oauth.components.securitySchemes.oauth = { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://x.test/t', scopes: {} } } };
    assert.throws(build({ specPath: writeSpec('oauth.yaml', stringify(oauth)) }), specError(/security scheme oauth is not one this service can check/));
    const cookie = contract();
    cookie.components.securitySchemes.apiKeyAuth.in = 'cookie';
    assert.throws(build({ specPath: writeSpec('cookie.yaml', stringify(cookie)) }), specError(/security scheme apiKeyAuth/));
    const undefinedScheme = contract();
    undefinedScheme.paths['/projects'].get.security = [{ sessionCookie: [] }];
    assert.throws(build({ specPath: writeSpec('undef.yaml', stringify(undefinedScheme)) }), specError(/listProjects requires security scheme sessionCookie, which is not defined/));
  });

  it('starts from a copy of the contract at another path (control)', () => {
    assert.doesNotThrow(build({ specPath: writeSpec('copy.yaml', readFileSync(SPEC_PATH, 'utf8')) }));
  });
});
