import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { freePort, startServer, ROOT, type RunningServer } from '../process/run';
import { launchBrowser, ARTIFACTS } from './browser';

const spec = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8'));
const operations: { id: string; summary: string; tag: string }[] = Object.values(spec.paths).flatMap((item: any) =>
  ['get', 'post', 'patch', 'delete', 'put']
    .filter((m) => item[m])
    .map((m) => ({ id: item[m].operationId, summary: item[m].summary, tag: item[m].tags[0] })),
);

async function api(server: RunningServer, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Expands an operation in Swagger UI, presses "Try it out", optionally fills the body, executes. */
async function tryItOut(page: Page, op: { id: string; tag: string }, body?: unknown): Promise<{ status: string; text: string }> {
  const block = page.locator(`#operations-${op.tag.replace(/ /g, '_')}-${op.id}`);
  await block.locator('.opblock-summary').first().click();
  const tryOut = block.locator('button.try-out__btn');
  // The block remembers try-it-out mode; pressing the button again would cancel it.
  if (/try it out/i.test(await tryOut.innerText())) await tryOut.click();
  if (body !== undefined) await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
  await block.locator('button.execute').click();
  const row = block.locator('.live-responses-table tbody tr.response').first();
  await row.waitFor();
  const status = (await row.locator('td.response-col_status').innerText()).trim();
  const text = await row.locator('.microlight, pre').first().innerText();
  // Collapse again so the next operation's controls are unambiguous.
  await block.locator('.opblock-summary').first().click();
  return { status, text };
}

describe('documentation in a real browser (Chromium)', function () {
  this.timeout(120_000);
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;
  let email: string;
  let password: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    // The served contract names PUBLIC_URL as its server, so "Try it out" calls this origin.
    const port = await freePort();
    server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr());
    assert.ok(m, 'first start prints the development owner');
    [, email, password] = m;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('/docs renders every operation; login, Authorize and "Try it out" on GET /projects work with a token and with an API key', async () => {
    const login = await api(server, 'POST', '/v1/auth/login', {}, { email, password });
    const auth = { authorization: `Bearer ${login.body.data.access_token}` };
    for (const name of ['e2e-alpha', 'e2e-beta']) assert.equal((await api(server, 'POST', '/v1/projects', auth, { name })).status, 201);
    const key = await api(server, 'POST', '/v1/api-keys', auth, { name: 'e2e', scopes: ['projects:read'] });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/docs`);
    await page.locator('.information-container .title').waitFor();
    assert.match(await page.locator('.information-container .title').innerText(), /Cloud API/);
    for (const op of operations) {
      const block = page.locator(`#operations-${op.tag.replace(/ /g, '_')}-${op.id}`);
      assert.equal(await block.count(), 1, `operation ${op.id} is listed`);
      assert.match(await block.locator('.opblock-summary').innerText(), new RegExp(op.summary), op.id);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'docs.png'), fullPage: true });

    // The rate limit is part of each operation's description.
    const list = page.locator('#operations-Projects-listProjects');
    await list.locator('.opblock-summary').click();
    assert.match(await list.locator('.opblock-description-wrapper').innerText(), /Rate limit: 600 requests per minute/);
    await list.locator('.opblock-summary').click();

    // Log in through the UI itself.
    const loggedIn = await tryItOut(page, { id: 'login', tag: 'Auth' }, { email, password });
    assert.equal(loggedIn.status, '200');
    const token = JSON.parse(loggedIn.text).data.access_token as string;

    // Authorize with the bearer token.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('.auth-container', { hasText: 'bearerAuth' }).locator('input').fill(token);
    await dialog.locator('.auth-container', { hasText: 'bearerAuth' }).locator('button.authorize').click();
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    const listed = await tryItOut(page, { id: 'listProjects', tag: 'Projects' });
    assert.equal(listed.status, '200');
    const names = JSON.parse(listed.text).data.map((p: { name: string }) => p.name);
    assert.deepEqual(names.sort(), ['e2e-alpha', 'e2e-beta']);

    // Now the API key alone, through the same dialog.
    await page.locator('.auth-wrapper button.authorize').click();
    await dialog.locator('.auth-container', { hasText: 'bearerAuth' }).locator('button', { hasText: 'Logout' }).click();
    await dialog.locator('.auth-container', { hasText: 'apiKeyAuth' }).locator('input').fill(key.body.data.key);
    await dialog.locator('.auth-container', { hasText: 'apiKeyAuth' }).locator('button.authorize').click();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    const withKey = await tryItOut(page, { id: 'listProjects', tag: 'Projects' });
    assert.equal(withKey.status, '200');
    assert.equal(JSON.parse(withKey.text).data.length, 2);
    await page.close();
  });

  it('/redoc renders every operation and makes no request to any other host', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const hosts = new Set<string>();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol.startsWith('http')) hosts.add(url.host);
    });
    await page.goto(`${server.url}/redoc`);
    await page.locator('.api-info h1').waitFor();
    assert.match(await page.locator('.api-info h1').innerText(), /Cloud API/);
    const text = await page.locator('body').innerText();
    for (const op of operations) assert.ok(text.includes(op.summary), `redoc shows ${op.summary}`);
    assert.match(text, /Rate limit:/);
    await page.screenshot({ path: join(ARTIFACTS, 'redoc.png') });
    assert.deepEqual([...hosts], [new URL(server.url).host], 'only the server itself was contacted');
    await page.close();
  });
});
