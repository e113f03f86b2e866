// The console's whole path in Chromium at 1280 px, as the proof states it: /console loads
// with no console error, sign in with Email, Password and Sign in, a project, an API key with
// projects:read shown once, requests with it in the usage chart, a webhook endpoint to a local
// receiver with its delivery failed and retried, the events; axe-core on every page; and the
// JavaScript the browser downloaded within 150 kB gzipped.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { FIRST_PAGE_JS_BUDGET } from '../../scripts/console/bundle';
import { runScript } from '../process/run';
import { ARTIFACTS, launchBrowser } from './browser';
import { assertAccessible, axeViolations, collectErrors, eventually, openPage, signIn, startConsoleServer, startReceiver, type ConsoleServer, type Receiver } from './console.support';

describe('console (Chromium, 1280 px): the whole path', function () {
  this.timeout(180_000);
  let server: ConsoleServer;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let token: string;
  const scripts: Buffer[] = [];

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers = { 'content-type': 'application/json', ...(init.key ? { 'x-api-key': init.key } : { authorization: `Bearer ${token}` }) };
    const res = await fetch(`${server.url}${path}`, { ...init, headers });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };

  before(async () => {
    // One at a time, so that after() closes whatever did start when one of them fails.
    server = await startConsoleServer();
    receiver = await startReceiver();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
    page.on('response', async (res) => {
      if (res.request().resourceType() === 'script') scripts.push(await res.body());
    });
    const login = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: server.email, password: server.password }) });
    token = ((await login.json()) as any).data.access_token;
  });

  after(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('/console loads under the CSP with no console error, and its JavaScript is within 150 kB gzipped', async () => {
    const res = await page.goto(`${server.url}/console`);
    assert.equal(res?.status(), 200);
    assert.match(res!.headers()['content-security-policy'], /script-src 'self'/);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const gzipped = scripts.reduce((sum, body) => sum + gzipSync(body).length, 0);
    console.log(`      first page: ${scripts.length} script(s), ${(gzipped / 1000).toFixed(1)} kB gzipped`);
    assert.ok(scripts.length > 0 && gzipped <= FIRST_PAGE_JS_BUDGET, `${gzipped} bytes gzipped`);
    await assertAccessible(page, 'Sign in');
    // The check bites: an image without a text alternative is a critical violation.
    await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<img id="axe-probe" src="data:,">')`);
    assert.match((await axeViolations(page)).join('\n'), /^critical image-alt/m);
    await page.evaluate(`document.getElementById('axe-probe').remove()`);
    assert.deepEqual(errors, []);
  });

  it('Sign in: a rate limit and a wrong password are said in words; Email, Password and Sign in sign in', async () => {
    // The real limiter: an account gets 10 logins per 5 minutes (x-rate-limit of login), so the
    // eleventh for this address is a 429 with Retry-After, which the page turns into a wait.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.com', password: 'a wrong password' }) });
      assert.equal(res.status, 401);
    }
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('a wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /^Too many requests\. Wait \d+ (seconds|minutes) and try again\.$/ }).waitFor();
    await page.getByLabel('Email').fill(server.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await assertAccessible(page, 'Sign in with an error');
    await signIn(page, server);
    for (const name of ['Projects', 'API keys', 'Usage', 'Webhooks', 'Events', 'Members']) {
      assert.equal(await page.getByRole('navigation').getByRole('link', { name, exact: true }).count(), 1, name);
    }
  });

  it('Projects: create, search, and an edit that lost a race shows the 412 in words and reloads', async () => {
    await openPage(page, 'Projects');
    await page.getByLabel('Project name').fill('Console e2e');
    await page.getByRole('button', { name: 'Create project' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Console e2e' }) });
    await card.waitFor();
    await page.getByLabel('Search by name').fill('no such project');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No projects matching').waitFor();
    await page.getByLabel('Search by name').fill('e2e');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await card.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit project' });
    await form.getByRole('button', { name: 'Save' }).waitFor();
    await eventually('the edit form to be filled', async () => (await form.getByLabel('Project name').inputValue()) === 'Console e2e');
    // Someone else changes the project in between.
    const projects = await api('/v1/projects?name=Console%20e2e');
    assert.equal((await api(`/v1/projects/${projects.body.data[0].id}`, { method: 'PATCH', body: JSON.stringify({ description: 'changed elsewhere' }) })).status, 200);
    await form.getByLabel('Project name').fill('Console e2e renamed');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: '412' }).waitFor();
    await assertAccessible(page, 'Projects with a 412');
    await form.getByRole('button', { name: 'Reload the current version' }).click();
    await eventually('the current version', async () => (await form.getByLabel('Description').inputValue()) === 'changed elsewhere');
    await form.getByLabel('Project name').fill('Console e2e renamed');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Console e2e renamed' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console-projects.png'), fullPage: true });
  });

  let key: string;
  it('API keys: Create API key, Name, projects:read, Create shows the cp_live_ key once', async () => {
    await openPage(page, 'API keys');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('console e2e key');
    await page.getByRole('checkbox', { name: 'projects:read', exact: true }).check();
    await assertAccessible(page, 'the Create API key form');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = page.locator('#secret-value');
    await secret.waitFor();
    key = (await secret.innerText()).trim();
    assert.match(key, /^cp_live_[0-9A-Za-z]{30,}$/);
    assert.match(await page.locator('.secret').innerText(), /only time it is shown/);
    await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();
    await assertAccessible(page, 'the new key');
    await page.screenshot({ path: join(ARTIFACTS, 'console-api-key.png'), fullPage: true });
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'console e2e key' }) });
    await card.waitFor();
    assert.ok(!(await page.locator('body').innerText()).includes(key), 'the key is not shown again');
    assert.match(await card.innerText(), /Scopes: projects:read/);
  });

  it('Usage: requests made with the key appear in the chart, whose name starts with "Requests"', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await api('/v1/projects', { key })).status, 200);
    // An error counted against the key: it may read projects, not create them.
    assert.equal((await api('/v1/projects', { key, method: 'POST', body: JSON.stringify({ name: 'not allowed' }) })).status, 403);
    const keys = await api('/v1/api-keys');
    const keyId = keys.body.data.find((k: { name: string }) => k.name === 'console e2e key').id as string;
    await openPage(page, 'Usage');
    const chart = page.getByRole('img', { name: /^Requests/ });
    await chart.waitFor();
    await page.getByLabel('Group by').selectOption('api_key');
    const row = page.getByRole('row').filter({ hasText: keyId });
    await eventually('the key in the usage table', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row.count()) === 1 && /\b4\b/.test(await row.innerText());
    });
    assert.match(await row.innerText(), /console e2e key/, 'the group is named after its key');
    assert.match(await row.innerText(), /4\s+1\s+25\.0%/);
    const label = (await chart.getAttribute('aria-label'))!;
    assert.match(label, /^Requests and error rate, last 24 hours, hourly: \d+ requests, \d+ errors/);
    assert.ok(Number(/: (\d+) requests/.exec(label)![1]) >= 4, label);
    assert.ok((await chart.locator('canvas').count()) > 0, 'uPlot drew a canvas');
    await assertAccessible(page, 'Usage');
    await page.screenshot({ path: join(ARTIFACTS, 'console-usage.png'), fullPage: true });
  });

  it('Webhooks: an endpoint to a local receiver, its whsec_ secret once, a failed delivery retried', async () => {
    await openPage(page, 'Webhooks');
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#secret-value').waitFor();
    assert.match(await page.locator('#secret-value').innerText(), /^whsec_/);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const card = page.getByRole('listitem', { name: `Endpoint ${receiver.url}` });
    /** Refresh deliveries until `deliveries` are `count` (deliveries happen in the background). */
    const refreshUntil = (what: string, deliveries: Locator, count = 1) =>
      eventually(what, async () => {
        await card.getByRole('button', { name: 'Refresh deliveries' }).click();
        return (await deliveries.count()) === count;
      });
    await card.getByRole('button', { name: 'Send test event' }).click();
    const failed = card.getByRole('listitem', { name: 'Delivery ping failed' });
    await refreshUntil('the failed delivery', failed);
    assert.match(await failed.innerText(), /1 attempt · response 500/);
    assert.match(await failed.innerText(), /receiver says no/);
    await assertAccessible(page, 'Webhooks with deliveries');
    receiver.answer = 204;
    await failed.getByRole('button', { name: 'Retry' }).click();
    const succeeded = card.getByRole('listitem', { name: 'Delivery ping succeeded' });
    await refreshUntil('the retried delivery', succeeded);
    assert.match(await succeeded.innerText(), /2 attempts · response 204/);
    assert.ok(receiver.received.some((b) => JSON.parse(b).type === 'ping'));
    // The endpoint's own webhook_endpoint.created delivery failed too (500): Recover sends it again.
    await card.getByRole('button', { name: 'Recover' }).click();
    await card.getByRole('status').filter({ hasText: /^Recovery queued [1-9]\d* failed deliver(y|ies) again\.$/ }).waitFor();
    await refreshUntil('no failed delivery left', card.getByRole('listitem', { name: /^Delivery .* failed$/ }), 0);
    await card.getByRole('button', { name: 'Disable' }).click();
    await card.getByText('disabled', { exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console-webhooks.png'), fullPage: true });
  });

  it('API keys: rotate with a grace period shows the new key once; revoke and delete ask first', async () => {
    await openPage(page, 'API keys');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'console e2e key' }) });
    await card.getByRole('button', { name: 'Rotate', exact: true }).click();
    await card.getByLabel('Grace period for the old key').selectOption('3600');
    await assertAccessible(page, 'a rotation being confirmed');
    await card.getByRole('button', { name: 'Rotate key' }).click();
    await page.locator('#secret-value').waitFor();
    const rotated = (await page.locator('#secret-value').innerText()).trim();
    assert.match(rotated, /^cp_live_/);
    assert.notEqual(rotated, key);
    // Within the grace period both keys work.
    assert.equal((await api('/v1/projects', { key })).status, 200);
    assert.equal((await api('/v1/projects', { key: rotated })).status, 200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const keys = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'console e2e key' }) });
    await keys.first().getByRole('button', { name: 'Revoke', exact: true }).click();
    await keys.first().getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await api('/v1/projects', { key: rotated })).status, 200, 'Cancel revokes nothing');
    const before = await keys.count();
    await keys.first().getByRole('button', { name: 'Revoke', exact: true }).click();
    await keys.first().getByRole('button', { name: 'Revoke key' }).click();
    await eventually('the revoked key to leave the list', async () => (await keys.count()) === before - 1);

    await openPage(page, 'Projects');
    const project = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Console e2e renamed' }) });
    await project.getByRole('button', { name: 'Delete', exact: true }).click();
    await project.getByRole('button', { name: 'Delete project' }).click();
    await project.waitFor({ state: 'detached' });
    assert.equal((await api('/v1/projects?name=Console')).body.data.length, 0);
  });

  it('Events: filtered by type and by date, the payload as formatted JSON', async () => {
    await openPage(page, 'Events');
    await page.getByLabel('Type').selectOption('project.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    const created = page.getByRole('listitem').filter({ hasText: 'project.created' });
    await created.first().waitFor();
    // The list first shows every type, until the filtered page arrives.
    await eventually('the filtered list', async () => (await page.getByRole('listitem').filter({ hasText: 'api_key.created' }).count()) === 0);
    await created.first().locator('summary').click();
    assert.match(await created.first().locator('pre').innerText(), /\n {2}"type": "project.created",\n/);
    await assertAccessible(page, 'Events');
    await page.screenshot({ path: join(ARTIFACTS, 'console-events.png'), fullPage: true });
    // By date: nothing has happened from tomorrow on.
    await page.getByLabel('From').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No events match.').waitFor();
    assert.deepEqual(errors, [], 'no console error on any page');
  });

  it('a user of two workspaces gets the Workspace switcher, which signs in to the other one', async () => {
    const cli = (...args: string[]) => runScript('scripts/cli.ts', args, { DATA_DIR: server.dataDir, PASSWORD_HASH_COST: '10', LOG_LEVEL: 'silent' });
    assert.equal((await cli('create-user', '--email', 'second@example.com', '--password', 'a long second password', '--workspace', 'Second')).code, 0);
    assert.equal((await cli('add-member', '--email', server.email, '--workspace', 'Second', '--role', 'admin')).code, 0);
    assert.equal((await api('/v1/projects', { method: 'POST', body: JSON.stringify({ name: 'Only in Development' }) })).status, 201);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server);
    const switcher = page.getByLabel('Workspace');
    await switcher.selectOption({ label: 'Second (admin)' });
    await page.getByRole('banner').getByText('Second', { exact: true }).waitFor();
    await openPage(page, 'Projects');
    await page.getByText('No projects.').waitFor(); // Development's project is not here
    await assertAccessible(page, 'the workspace switcher');
    assert.deepEqual(errors, []);
  });
});
