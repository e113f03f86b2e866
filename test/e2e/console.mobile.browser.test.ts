// The console at 390 px wide (a phone) and by keyboard alone: every page fits the width (no
// sideways scrolling), passes axe-core, and is reached and used with Tab, Enter and Space only.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CloudApi } from '../../sdk/src';
import { ARTIFACTS, launchBrowser } from './browser';
import { assertAccessible, collectErrors, eventually, startConsoleServer, type ConsoleServer } from './console.support';

const PAGES = ['Projects', 'API keys', 'Usage', 'Webhooks', 'Events', 'Members'];

// Page-side expressions as strings: this project's TypeScript has no DOM types.
/** The focused control's name as a user sees it: its label, aria-label or text. */
const FOCUSED_NAME = `(() => {
  const el = document.activeElement;
  if (!el) return '';
  const label = el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : undefined;
  return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
})()`;
const BLUR = 'document.activeElement?.blur()';

/** Presses Tab until the focused element's accessible text is `name` (at most `limit` times). */
async function tabTo(page: Page, name: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<string>(FOCUSED_NAME);
    if (focused === name) return;
  }
  assert.fail(`Tab never reached "${name}"`);
}

/** Tabs to the control named `name` and presses `key` on it. */
async function tabAndPress(page: Page, name: string, key: 'Enter' | 'Space'): Promise<void> {
  await tabTo(page, name);
  await page.keyboard.press(key);
}

async function fitsWidth(page: Page, what: string): Promise<void> {
  const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

describe('console (Chromium, 390 px): by keyboard alone, every page fits and passes axe-core', function () {
  this.timeout(180_000);
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true });
    errors = collectErrors(page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with Tab, typing and Enter', async () => {
    await page.goto(`${server.url}/console`);
    await fitsWidth(page, 'Sign in');
    await assertAccessible(page, 'Sign in at 390 px');
    await tabTo(page, 'Email');
    await page.keyboard.type(server.email);
    await tabTo(page, 'Password');
    await page.keyboard.type(server.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    // Focus starts at the page's heading, so the next Tab goes on from there.
    assert.equal(await page.evaluate<string>('document.activeElement?.tagName'), 'H1');
    await page.screenshot({ path: join(ARTIFACTS, 'console-390-signin-done.png') });
  });

  it('reaches every page from the navigation with Tab and Enter; each fits 390 px and passes axe-core', async () => {
    for (const name of PAGES) {
      await page.evaluate(BLUR);
      await tabAndPress(page, name, 'Enter');
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      // The page's data has arrived (its list, its chart) before it is measured.
      await page.waitForLoadState('networkidle');
      if (name === 'Usage') await page.getByRole('img', { name: /^Requests/ }).waitFor();
      await fitsWidth(page, name);
      await assertAccessible(page, `${name} at 390 px`);
      await page.screenshot({ path: join(ARTIFACTS, `console-390-${name.toLowerCase().replace(' ', '-')}.png`), fullPage: true });
    }
  });

  it('creates an API key by keyboard alone and sees it once, in a 390 px layout', async () => {
    await page.evaluate(BLUR);
    await tabAndPress(page, 'API keys', 'Enter');
    await tabAndPress(page, 'Create API key', 'Enter');
    // The form opens with Name focused.
    await page.waitForFunction("document.activeElement?.id === 'key-name'");
    await page.keyboard.type('phone key');
    await tabAndPress(page, 'projects:read', 'Space');
    await tabAndPress(page, 'usage:read', 'Space');
    await tabAndPress(page, 'Create', 'Enter');
    const secret = page.locator('#secret-value');
    await secret.waitFor();
    assert.match(await secret.innerText(), /^cp_live_/);
    await fitsWidth(page, 'the new key');
    await assertAccessible(page, 'the new key at 390 px');
    await page.screenshot({ path: join(ARTIFACTS, 'console-390-new-key.png'), fullPage: true });
    await tabAndPress(page, 'I have stored it', 'Enter');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'phone key' }) });
    await card.waitFor();
    assert.match(await card.innerText(), /Scopes: projects:read, usage:read/);
    await fitsWidth(page, 'API keys with a key');
    assert.deepEqual(errors, []);
  });

  it('Members at 390 px: an invitation by keyboard, its token, and a second member with their role and buttons fit', async () => {
    await page.evaluate(BLUR);
    await tabAndPress(page, 'Members', 'Enter');
    await tabAndPress(page, 'Invite member', 'Enter');
    // Polled from here: waitForFunction would poll with eval in the page, which the CSP refuses.
    await eventually('Email focused', async () => (await page.evaluate<string>('document.activeElement?.id')) === 'invite-email');
    await page.keyboard.type('phone.invitee@example.com');
    await tabAndPress(page, 'Invite', 'Enter');
    const secret = page.locator('#secret-value');
    await secret.waitFor();
    const token = (await secret.innerText()).trim();
    await fitsWidth(page, 'the invitation token');
    await assertAccessible(page, 'the invitation token at 390 px');
    await tabAndPress(page, 'I have stored it', 'Enter');
    await new CloudApi({ baseUrl: server.url }).invitations.accept({ token, password: 'a long passphrase of the invitee 42' });
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const card = page.getByRole('listitem', { name: 'Member phone.invitee@example.com' });
    await card.getByLabel('Role of phone.invitee@example.com').waitFor();
    await fitsWidth(page, 'Members with two members');
    await assertAccessible(page, 'Members with two members at 390 px');
    await page.screenshot({ path: join(ARTIFACTS, 'console-390-members-two.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });
});
