// The console's Members page in Chromium at 1280 px: invite an email as member, its token shown
// once, accepted through the SDK as the invitee would, both members listed, the newcomer made an
// admin and removed behind a confirmation; the API's refusals (the last owner) in words; an
// invitation revoked; and a member's view, with no write control. axe-core at each step.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CloudApi, isApiError } from '../../sdk/src';
import { ARTIFACTS, launchBrowser } from './browser';
import { assertAccessible, collectErrors, openPage, signIn, startConsoleServer, type ConsoleServer } from './console.support';

const NEWCOMER = 'dev@example.com';
const VIEWER = 'viewer@example.com';
const PASSWORD = 'a long passphrase of the invitee 42';

describe('console (Chromium, 1280 px): Members', function () {
  this.timeout(180_000);
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let owner: CloudApi;

  const member = (email: string) => page.getByRole('listitem', { name: `Member ${email}`, exact: true });
  const invitation = (email: string) => page.getByRole('listitem', { name: `Invitation ${email}`, exact: true });

  /**
   * Invite member, Email, Role, Invite: answers the token the page shows once, after `whileShown`
   * and `I have stored it`; `beforeInvite` looks at the filled form.
   */
  async function invite(email: string, role: string, look: { beforeInvite?: () => Promise<void>; whileShown?: (token: string) => Promise<void> } = {}): Promise<string> {
    await page.getByRole('button', { name: 'Invite member' }).click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption(role);
    await look.beforeInvite?.();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const secret = page.locator('#secret-value');
    await secret.waitFor();
    const token = (await secret.innerText()).trim();
    await look.whileShown?.(token);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await invitation(email).waitFor();
    return token;
  }

  before(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
    owner = new CloudApi({ baseUrl: server.url, email: server.email, password: server.password });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the signed-in owner, marked as you, with Members in the navigation', async () => {
    await signIn(page, server);
    await openPage(page, 'Members');
    const me = member(server.email);
    await me.waitFor();
    assert.match(await me.innerText(), /\(you\)[\s\S]*owner[\s\S]*joined/);
    await assertAccessible(page, 'Members');
  });

  it('invites an email as member: the token is shown once, with Copy and the warning that no email is sent', async () => {
    const token = await invite(NEWCOMER, 'member', {
      beforeInvite: () => assertAccessible(page, 'the invitation form'),
      whileShown: async (token) => {
        assert.match(token, /^cpi_[A-Za-z0-9_-]{20,}$/);
        const shown = await page.locator('.secret').innerText();
        assert.match(shown, /only time it is shown/);
        assert.match(shown, new RegExp(`No email is sent\\. Pass this token on to ${NEWCOMER} yourself`));
        await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();
        await assertAccessible(page, 'the invitation token');
        await page.screenshot({ path: join(ARTIFACTS, 'console-members-token.png'), fullPage: true });
      },
    });
    assert.match(await invitation(NEWCOMER).innerText(), /member[\s\S]*expires/);
    assert.ok(!(await page.locator('body').innerText()).includes(token), 'the token is not shown again');

    // The invitee accepts with the token, as they would with the SDK; the page shows them joined.
    const tokens = await new CloudApi({ baseUrl: server.url }).invitations.accept({ token, password: PASSWORD });
    assert.ok(tokens.access_token);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await member(NEWCOMER).waitFor();
    await invitation(NEWCOMER).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('listitem', { name: /^Member / }).count(), 2);
    await page.getByText('No pending invitations.').waitFor();
  });

  it("changes the newcomer's role to admin; demoting or leaving as the last owner is refused in words", async () => {
    const card = member(NEWCOMER);
    assert.equal(await card.getByRole('button', { name: 'Change role' }).isDisabled(), true, 'nothing to change yet');
    await card.getByLabel(`Role of ${NEWCOMER}`).selectOption('admin');
    await card.getByRole('button', { name: 'Change role' }).click();
    await page.getByRole('status').filter({ hasText: `${NEWCOMER} is now admin.` }).waitFor();
    const newcomer = (await owner.members.list().toArray()).find((m) => m.email === NEWCOMER);
    assert.equal(newcomer?.role, 'admin');
    assert.match(await card.innerText(), /admin/);

    const me = member(server.email);
    await me.getByLabel(`Role of ${server.email}`).selectOption('member');
    await me.getByRole('button', { name: 'Change role' }).click();
    await page.getByRole('alert').filter({ hasText: 'The last owner cannot be removed or demoted' }).waitFor();
    await me.getByRole('button', { name: 'Leave', exact: true }).click();
    await me.getByRole('button', { name: 'Leave workspace' }).click();
    await page.getByRole('alert').filter({ hasText: 'The last owner cannot be removed or demoted' }).waitFor();
    await assertAccessible(page, 'Members with an error');
    assert.equal((await owner.me.get()).role, 'owner');
  });

  it('removes the newcomer behind a confirmation (Cancel removes nothing)', async () => {
    const card = member(NEWCOMER);
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await assertAccessible(page, 'a removal being confirmed');
    await card.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await owner.members.list().toArray()).length, 2, 'Cancel removes nobody');
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await card.getByRole('button', { name: 'Remove member' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: `${NEWCOMER} was removed.` }).waitFor();
    assert.deepEqual((await owner.members.list().toArray()).map((m) => m.email), [server.email]);
  });

  it('revokes a pending invitation behind a confirmation: its token no longer works', async () => {
    const token = await invite('later@example.com', 'admin');
    const card = invitation('later@example.com');
    await card.getByRole('button', { name: 'Revoke', exact: true }).click();
    await card.getByRole('button', { name: 'Revoke invitation' }).click();
    await card.waitFor({ state: 'detached' });
    await assert.rejects(new CloudApi({ baseUrl: server.url, maxRetries: 0 }).invitations.accept({ token, password: PASSWORD }), (err) => isApiError(err, 'invalid_invitation') && err.status === 401);
    assert.equal((await owner.invitations.list().toArray()).length, 0);
  });

  it("a member's view: the team and Leave, and no control that needs members:write", async () => {
    const token = await invite(VIEWER, 'member');
    await new CloudApi({ baseUrl: server.url }).invitations.accept({ token, password: PASSWORD });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(VIEWER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await openPage(page, 'Members');
    await member(server.email).waitFor();
    await page.getByText('you can see the team and leave it').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Invite member' }).count(), 0);
    assert.equal(await page.getByRole('combobox').count(), 0, 'no role to change');
    assert.equal(await page.getByRole('button', { name: 'Remove', exact: true }).count(), 0);
    assert.equal(await member(VIEWER).getByRole('button', { name: 'Leave', exact: true }).count(), 1);
    await assertAccessible(page, "Members in a member's view");
    await page.screenshot({ path: join(ARTIFACTS, 'console-members-viewer.png'), fullPage: true });

    // Leaving, with no other workspace, signs out.
    await member(VIEWER).getByRole('button', { name: 'Leave', exact: true }).click();
    await member(VIEWER).getByRole('button', { name: 'Leave workspace' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.deepEqual((await owner.members.list().toArray()).map((m) => m.email), [server.email]);
    assert.deepEqual(errors, []);
  });
});
