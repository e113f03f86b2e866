import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import type { TestApp } from '../helpers';
import type { Project } from '../../src/store/ports';

/** A credential for supertest's `.set(...auth)`. */
export type Auth = [header: string, value: string];
export const bearer = (u: { auth: string }): Auth => ['Authorization', u.auth];
export const apiKey = (key: string): Auth => ['x-api-key', key];

/** POST /v1/projects with `auth`, and with an Idempotency-Key unless `key` is undefined. */
export function createProject(t: TestApp, auth: Auth, key: string | undefined, body: Record<string, unknown>) {
  const req = t.http.post('/v1/projects').set(...auth);
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
}

/** POST /v1/api-keys, asserting 201; returns the new key's id and secret. */
export async function createKey(t: TestApp, auth: Auth, scopes: string[], name = `key ${scopes.join(' ')}`) {
  const res = await t.http.post('/v1/api-keys').set(...auth).send({ name, scopes });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data as { id: string; key: string };
}

/** Every project of the workspace, read from the store. */
export const projectsOf = (t: TestApp, workspaceId: string): Promise<Project[]> => t.store.projects.list(workspaceId, {}, undefined, 100);

/** A first response: no Idempotent-Replayed header. */
export function assertFresh(res: Response, status: number) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers['idempotent-replayed'], undefined, 'a first response is not marked as replayed');
}

/** A replay of `first`: same status, byte-identical body, same Location and ETag, marked replayed. */
export function assertReplayOf(res: Response, first: Response) {
  assert.equal(res.status, first.status, JSON.stringify(res.body));
  assert.equal(res.headers['idempotent-replayed'], 'true');
  assert.equal(res.text, first.text, 'the replayed body is byte for byte the first one');
  assert.equal(res.headers['location'], first.headers['location']);
  assert.equal(res.headers['etag'], first.headers['etag']);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.ok(res.headers['x-request-id'], 'a replay has its own X-Request-Id');
}
