// /console as the service serves it, in-process (no browser): the page and its assets under the
// service's unchanged CSP, CONSOLE=off making it an unknown path, and the bundle's budget.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIRST_PAGE_JS_BUDGET, firstPageJs, kB } from '../../scripts/console/bundle';
import { CONSOLE_DIR } from '../../src/http/console';
import { loadConfig } from '../../src/config';
import { makeTestApp } from '../helpers';
import { ensureConsoleBuilt } from '../e2e/console.support';

describe('console: served at /console', function () {
  // A checkout that never ran `npm run build` builds the console first (about a second, more on a busy machine).
  this.timeout(60_000);
  before(() => ensureConsoleBuilt());

  it('CONSOLE is on by default; on and off are accepted, anything else names the variable', () => {
    assert.equal(loadConfig({}).console, true);
    assert.equal(loadConfig({ CONSOLE: 'off' }).console, false);
    assert.equal(loadConfig({ CONSOLE: 'on' }).console, true);
    assert.throws(() => loadConfig({ CONSOLE: 'maybe' }), /CONSOLE must be one of on, off, got 'maybe'/);
  });

  it('GET /console: the page, under the same Content-Security-Policy as /docs, its script a same-origin file', async () => {
    const { http } = makeTestApp();
    const page = await http.get('/console').expect(200).expect('content-type', /text\/html/);
    const docs = await http.get('/openapi.json').expect(200);
    assert.equal(page.headers['content-security-policy'], docs.headers['content-security-policy']);
    assert.match(page.headers['content-security-policy'], /script-src 'self'/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.doesNotMatch(page.text, /<script>|<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    const src = /<script[^>]*src="([^"]+)"/.exec(page.text)![1];
    assert.match(src, /^\/console\/assets\/index-[\w-]+\.js$/);
    const js = await http.get(src).expect(200).expect('content-type', /javascript/);
    assert.match(js.headers['cache-control'], /immutable/);
  });

  it('an unknown file under /console is a 404 in the error envelope; a write is a 405', async () => {
    const { http } = makeTestApp();
    const missing = await http.get('/console/assets/nothing.js').expect(404);
    assert.equal(missing.body.error.code, 'route_not_found');
    const post = await http.post('/console').expect(405);
    assert.equal(post.body.error.code, 'method_not_allowed');
  });

  it('CONSOLE=off: /console and its assets are 404 route_not_found, like any unknown path', async () => {
    const on = makeTestApp();
    const src = /<script[^>]*src="([^"]+)"/.exec((await on.http.get('/console').expect(200)).text)![1];
    const { http } = makeTestApp({ CONSOLE: 'off' });
    for (const path of ['/console', '/console/', src]) {
      const res = await http.get(path).expect(404);
      assert.equal(res.body.error.code, 'route_not_found', path);
      assert.ok(res.body.error.request_id, path);
    }
  });

  it(`the first page's JavaScript is at most ${kB(FIRST_PAGE_JS_BUDGET)} gzipped`, () => {
    const size = firstPageJs(CONSOLE_DIR);
    console.log(`      ${size.files.length} file(s): ${kB(size.gzipBytes)} gzipped`);
    assert.ok(size.gzipBytes <= FIRST_PAGE_JS_BUDGET, `${size.gzipBytes} bytes`);
    assert.ok(size.files.every((f) => f.path.startsWith(join(CONSOLE_DIR, 'assets'))));
  });
});
