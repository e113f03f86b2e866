// A consumer of the published package as CommonJS (the `require` condition of its exports):
// compiled with `tsc --strict` against the installed tarball, then run (npm run check:sdk).
import { CloudApi, isApiError, TimeoutError, type ApiError } from '@cloud-api/sdk';

async function main(): Promise<void> {
  const client = new CloudApi({ baseUrl: process.env.CLOUD_API_URL!, apiKey: process.env.CLOUD_API_KEY!, maxRetries: 1 });
  const tag = `cjs-${Date.now()}`;
  for (const n of [1, 2, 3]) {
    const { response } = await client.projects.create({ name: `${tag} ${n}` }).withResponse();
    if (response.status !== 201) throw new Error(`created with ${response.status}`);
  }
  // A page at a time, as a server rendering "next page" links would.
  const first = await client.projects.list({ name: tag, limit: 1 }).page();
  const pages = [first];
  for (let page = await first.next(); page; page = await page.next()) pages.push(page);
  if (pages.length !== 3) throw new Error(`walked ${pages.length} pages`);
  const ids: (string | undefined)[] = pages.map((page) => page.requestId);
  if (new Set(ids).size !== 3 || pages.some((page) => page.response.status !== 200)) throw new Error('pages lost their answers');
  for (const page of pages) await client.projects.delete(page.data[0].id);

  const err = await client.projects.create({ name: 'x', slug: 'Not A Slug' }).catch((e: unknown) => e);
  if (!isApiError(err, 'validation_failed')) throw new Error('expected a typed 400');
  const failed: ApiError<'validation_failed'> = err;

  const late = await client.me.get({ totalTimeout: 1 }).catch((e: unknown) => e);
  const timedOut = late instanceof TimeoutError && late.scope === 'call' ? 'timed out' : 'answered within 1 ms';
  console.log(`cjs: ${pages.length} pages of 1; typed ${failed.status} ${failed.code} at ${failed.details[0]?.pointer}; 1 ms call ${timedOut}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
