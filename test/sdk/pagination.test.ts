// Lists through the SDK: an async iterable over every item that follows next_cursor, and the
// same walk a page at a time. 250 projects, counted in pages as the client sent them.
import assert from 'node:assert/strict';
import { makeTestApp } from '../helpers';
import type { CloudApi, Project } from '../../sdk/src';
import { live, recorder, type Live, type Recorder } from './harness';

const PROJECTS = 250;

describe('SDK: pagination', function () {
  let l: Live;
  let created: Project[];
  before(async () => {
    // 250 creates in a row: above the projects-write limit of 120 a minute.
    l = await live(makeTestApp({ RATE_LIMIT_MULTIPLIER: '10' }));
    const client = l.client();
    created = [];
    for (let i = 0; i < PROJECTS; i++) created.push((await client.projects.create({ name: `Walk ${i}` })).data);
  });
  after(() => l.close());

  const pageRequests = (rec: Recorder) => rec.count('GET', /^\/v1\/projects(\?|$)/);
  let client: CloudApi;
  let rec: Recorder;
  beforeEach(() => {
    rec = recorder();
    client = l.client({}, rec);
  });

  it('listProjects: for await walks all 250 projects newest first, following next_cursor (13 pages of the default 20)', async () => {
    const seen: string[] = [];
    for await (const project of client.projects.list()) seen.push(project.id);
    assert.equal(seen.length, PROJECTS);
    assert.deepEqual(seen, created.map((p) => p.id).reverse());
    assert.equal(pageRequests(rec), Math.ceil(PROJECTS / 20));
    console.log(`      walked ${seen.length} projects in ${pageRequests(rec)} pages of 20`);
  });

  it('listProjects: pages() with limit 100 gives 3 pages (100, 100, 50); the last has no next', async () => {
    const sizes: number[] = [];
    let last;
    for await (const page of client.projects.list({ limit: 100 }).pages()) {
      sizes.push(page.data.length);
      last = page;
    }
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.equal(pageRequests(rec), 3);
    assert.equal(last!.hasMore, false);
    assert.equal(await last!.next(), null);
  });

  it('listProjects: a page at a time with page() and next(), and a cursor handed back in the query', async () => {
    const first = await client.projects.list({ limit: 30, name: 'Walk 1' }).page();
    // "Walk 1", "Walk 10".."Walk 19", "Walk 100".."Walk 199": 111 names hold "Walk 1".
    assert.equal(first.data.length, 30);
    assert.ok(first.hasMore);
    const second = await first.next();
    assert.ok(second && second.data.length === 30);
    // A server-rendered "next page" link: the cursor travels through the caller's own state.
    const resumed = await client.projects.list({ limit: 30, name: 'Walk 1', cursor: first.meta.next_cursor! }).page();
    assert.deepEqual(resumed.data, second.data);
    const all = await client.projects.list({ limit: 30, name: 'Walk 1' }).toArray();
    assert.equal(all.length, 111);
    assert.ok(all.every((p) => p.name.startsWith('Walk 1')));
  });

  it('listProjects: a break stops the walk: no page is fetched past the one in use', async () => {
    let n = 0;
    for await (const _ of client.projects.list({ limit: 10 })) if (++n === 15) break;
    assert.equal(pageRequests(rec), 2);
  });
});
