// The answer behind the data: withResponse() on every call, the response of every page, and the
// headers and query a call adds to the SDK's own.
import assert from 'node:assert/strict';
import { ApiPromise, errorIs, type CloudApi } from '../../sdk/src';
import { live, recorder, type Live, type Recorder } from './harness';

const rejection = (p: Promise<unknown>) => p.then(() => assert.fail('expected a rejection'), (e: unknown) => e);

describe('SDK: responses, extra headers and query', () => {
  let l: Live;
  let rec: Recorder;
  let client: CloudApi;
  beforeEach(async () => {
    l = await live();
    rec = recorder();
    client = l.client({}, rec);
  });
  afterEach(() => l.close());

  it('createProject: withResponse() gives the data, the 201 and its X-Request-Id; awaiting the call still gives the data', async () => {
    const call = client.projects.create({ name: 'Answered' });
    assert.ok(call instanceof ApiPromise && call instanceof Promise);
    const { data, response, requestId } = await call.withResponse();
    assert.equal(data.data.name, 'Answered');
    assert.equal(data.etag, response.headers.get('etag'));
    assert.equal(response.status, 201);
    assert.match(response.url, /\/v1\/projects$/);
    assert.match(requestId ?? '', /^req_/);
    assert.equal(requestId, response.headers.get('x-request-id'));
    assert.deepEqual(await call, data, 'the same answer, read once');
    assert.equal(rec.sent.length, 1);

    const plain = await client.projects.get(data.data.id);
    assert.equal(plain.data.id, data.data.id);
  });

  it('getMe, deleteProject: withResponse() on an enveloped answer (200) and a bodiless one (204)', async () => {
    const me = await client.me.get().withResponse();
    assert.equal(me.response.status, 200);
    assert.equal(me.data.type, 'api_key');
    const { data } = await client.projects.create({ name: 'Gone soon' });
    const deleted = await client.projects.delete(data.id).withResponse();
    assert.equal(deleted.response.status, 204);
    assert.equal(deleted.data, undefined);
    assert.match(deleted.requestId ?? '', /^req_/);
  });

  it('a failed call rejects withResponse() with the ApiError, as awaiting it does', async () => {
    const err = await rejection(client.projects.get('prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R').withResponse());
    assert.ok(errorIs.notFound(err));
  });

  it('logout() without a session sends nothing: it resolves, and withResponse() says why it has no answer', async () => {
    await client.auth.logout();
    const err = await rejection(client.auth.logout().withResponse());
    assert.match((err as Error).message, /no session was open/);
    assert.equal(rec.sent.length, 0);
  });

  it('listProjects: every page carries its answer and request id', async () => {
    for (const n of [1, 2, 3]) await client.projects.create({ name: `Paged ${n}` });
    const pages = [];
    for await (const page of client.projects.list({ limit: 2 }).pages()) pages.push(page);
    assert.equal(pages.length, 2);
    for (const page of pages) {
      assert.equal(page.response.status, 200);
      assert.equal(page.requestId, page.response.headers.get('x-request-id'));
    }
    assert.notEqual(pages[0].requestId, pages[1].requestId);
  });

  it('headers: an X-Request-Id of the caller is sent on every attempt and echoed; other headers reach the server too', async () => {
    const { requestId, response } = await client.me.get({ headers: { 'X-Request-Id': 'mine-123', 'X-Trace': 'abc' } }).withResponse();
    assert.equal(requestId, 'mine-123');
    assert.equal(response.headers.get('x-request-id'), 'mine-123');
    assert.equal(rec.sent[0].headers.get('x-trace'), 'abc');
    const err = await rejection(client.projects.create({ name: 'x', slug: 'Not A Slug' }, { headers: { 'X-Request-Id': 'mine-400' } }));
    assert.ok(errorIs.validationFailed(err));
    assert.equal(err.requestId, 'mine-400');
  });

  it('headers: one the SDK sets (credential, Idempotency-Key, If-Match, Content-Type) is refused with a TypeError, and nothing is sent', async () => {
    const refused: Record<string, string>[] = [
      { Authorization: 'Bearer x' },
      { 'x-api-key': 'cp_live_other' },
      { 'Idempotency-Key': 'k' },
      { 'If-Match': '"1"' },
      { 'content-type': 'text/plain' },
    ];
    for (const headers of refused) {
      const err = await rejection(client.projects.create({ name: 'Refused' }, { headers }));
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /cannot be given in headers/);
    }
    const both = await rejection(client.me.get({ requestId: 'a', headers: { 'x-request-id': 'b' } }));
    assert.match((both as Error).message, /requestId option/);
    assert.equal(rec.sent.length, 0);
  });

  it('query: an extra parameter reaches the server on every page; one the call sends already is refused', async () => {
    for (const n of [1, 2, 3]) await client.projects.create({ name: `Queried ${n}` });
    const first = await client.projects.list({}, { query: { limit: 2 } }).page();
    assert.equal(first.data.length, 2);
    const second = await first.next();
    assert.equal(second?.data.length, 1);
    const paths = rec.sent.filter((s) => s.method === 'GET').map((s) => s.path);
    assert.ok(paths.every((p) => /[?&]limit=2(&|$)/.test(p)), paths.join(' '));

    // The service takes no parameter it does not know: proof the extra one arrived.
    const unknown = await rejection(client.projects.list({}, { query: { colour: 'blue' } }).page());
    assert.ok(errorIs.validationFailed(unknown));

    const sent = rec.sent.length;
    const clashing: Record<string, string | number>[] = [{ limit: 3 }, { cursor: 'x' }];
    for (const query of clashing) {
      const err = await rejection(client.projects.list({ limit: 2 }, { query }).page());
      assert.ok(err instanceof TypeError && /typed query/.test(err.message), String(err));
    }
    assert.equal(rec.sent.length, sent);
  });
});
