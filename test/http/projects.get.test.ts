import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith } from '../support/app';
import { expectErrorFor } from '../support/errors';
import { assertProjectShape, createProjectHttp, getProjectHttp, UNKNOWN_PROJECT_ID } from '../support/projects';
import { newId } from '../../src/ids';

describe('GET /v1/projects/{project_id} (getProject)', () => {
  let t: TestApp;
  let auth: string;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
  });

  it('getProject: 200 returns the project as created', async () => {
    const created = await createProjectHttp(t, auth, { name: 'Billing', slug: 'billing', description: 'Invoices.' });
    const res = await getProjectHttp(t, auth, created.id);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['data']);
    assertProjectShape(res.body.data);
    assert.deepEqual(res.body.data, created);
  });

  it('getProject: 404 not_found for a well-formed id that does not exist', async () => {
    await createProjectHttp(t, auth, { name: 'Billing' });
    for (const id of [UNKNOWN_PROJECT_ID, newId('prj')]) {
      const err = expectError(await getProjectHttp(t, auth, id), 404, 'not_found');
      assert.ok(err.message.includes(id), err.message);
    }
  });

  it('getProject: 400 validation_failed with a /path/project_id detail for malformed ids', async () => {
    const malformed: [string, string][] = [
      ['without the prj_ prefix', '01JD3Y8N6V4Q2X7R5T9W1K3M5R'],
      ['with another type prefix', 'usr_01JD3Y8N6V4Q2X7R5T9W1K3M5R'],
      ['that is too short', 'prj_01JD3Y8N6V'],
      ['that is too long', 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5RR'],
      ['in lowercase', 'prj_01jd3y8n6v4q2x7r5t9w1k3m5r'],
      ['with a letter outside Crockford base32 (U)', 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5U'],
      ['with SQL in it', "prj_' OR 1=1 --"],
    ];
    for (const [what, id] of malformed) {
      const res = await getProjectHttp(t, auth, encodeURIComponent(id));
      expectErrorFor(`id ${what}`, res, 400, 'validation_failed', '/path/project_id');
    }
  });

  it('getProject: 400 validation_failed for an unknown query parameter', async () => {
    const created = await createProjectHttp(t, auth, { name: 'Billing' });
    const res = await t.http.get(`/v1/projects/${created.id}?expand=all`).set('Authorization', auth);
    expectError(res, 400, 'validation_failed');
  });

  it('getProject: 401 unauthenticated without a token', async () => {
    const created = await createProjectHttp(t, auth, { name: 'Billing' });
    const res = await t.http.get(`/v1/projects/${created.id}`);
    expectError(res, 401, 'unauthenticated');
    assert.ok(res.headers['www-authenticate']);
  });

  it('getProject: 500 internal_error when the store fails, without internals', async () => {
    t = makeAppWith({ store: failingProjects('get') });
    ({ auth } = await signedIn(t));
    const res = await getProjectHttp(t, auth, UNKNOWN_PROJECT_ID);
    expectError(res, 500, 'internal_error');
    assert.ok(!JSON.stringify(res.body).includes('secret internal detail'));
  });
});
