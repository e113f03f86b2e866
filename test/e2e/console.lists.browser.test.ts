// The console's lists a page at a time (console/src/list.tsx), in Chromium at 1280 px: Projects
// 20 at a time and an endpoint's Deliveries 25 at a time, `Load more` bringing the rest and then
// leaving; a deletion on the second page keeps the pages loaded.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CloudApi } from '../../sdk/src';
import { launchBrowser } from './browser';
import { assertAccessible, collectErrors, eventually, openPage, signIn, startConsoleServer, startReceiver, type ConsoleServer, type Receiver } from './console.support';

const PROJECTS = 26;

describe('console (Chromium, 1280 px): lists a page at a time with Load more', function () {
  this.timeout(180_000);
  let server: ConsoleServer;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let owner: CloudApi;
  let endpointId: string;

  before(async () => {
    server = await startConsoleServer();
    receiver = await startReceiver();
    receiver.answer = 204;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = collectErrors(page);
    owner = new CloudApi({ baseUrl: server.url, email: server.email, password: server.password });
    // An endpoint for every event first, so that each project below is also a delivery.
    endpointId = (await owner.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] })).id;
    for (let i = 1; i <= PROJECTS; i++) await owner.projects.create({ name: `Paged ${String(i).padStart(2, '0')}` });
    await signIn(page, server);
  });

  after(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('Projects: 20, then Load more brings the other 6 and goes; a deletion keeps both pages', async () => {
    await openPage(page, 'Projects');
    const cards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Paged \d+$/ }) });
    await eventually('the first page', async () => (await cards.count()) === 20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually('the second page', async () => (await cards.count()) === PROJECTS);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'nothing more to load');
    const last = cards.last();
    await last.getByRole('button', { name: 'Delete', exact: true }).click();
    await last.getByRole('button', { name: 'Delete project' }).click();
    await eventually('the deleted project gone, the rest still there', async () => (await cards.count()) === PROJECTS - 1);
  });

  it('Deliveries: 25, then Load more brings the rest and goes', async () => {
    const total = async () => (await owner.webhookEndpoints.listDeliveries(endpointId).toArray()).length;
    // Every project created is a delivery, and so are the endpoint's own webhook_endpoint.created
    // and the deletion above.
    const expected = PROJECTS + 2;
    await eventually('every delivery made', async () => (await total()) === expected);
    await openPage(page, 'Webhooks');
    const card = page.getByRole('listitem', { name: `Endpoint ${receiver.url}` });
    await card.getByRole('button', { name: 'Deliveries', exact: true }).click();
    const deliveries = card.getByRole('listitem', { name: /^Delivery / });
    await eventually('the first page of deliveries', async () => (await deliveries.count()) === 25);
    await assertAccessible(page, 'Deliveries with Load more');
    await card.getByRole('button', { name: 'Load more' }).click();
    await eventually('every delivery', async () => (await deliveries.count()) === expected);
    assert.equal(await card.getByRole('button', { name: 'Load more' }).count(), 0, 'nothing more to load');
    assert.deepEqual(errors, []);
  });
});
