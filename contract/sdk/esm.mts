// A consumer of the published package as an ES module (the `import` condition of its exports):
// compiled with `tsc --strict` against the installed tarball, then run (npm run check:sdk).
import { ApiError, CloudApi, errorIs, verifyWebhook, WebhookVerificationError, type Project, type Versioned, type WebhookEvent, type WithResponse } from '@cloud-api/sdk';

const client = new CloudApi({ baseUrl: process.env.CLOUD_API_URL!, apiKey: process.env.CLOUD_API_KEY! });
const tag = `esm-${Date.now()}`;
const { data, etag } = await client.projects.create({ name: tag });
const seen: Project[] = [];
for await (const project of client.projects.list({ name: tag })) seen.push(project);
if (seen.length !== 1 || seen[0].id !== data.id) throw new Error(`listed ${seen.length} projects`);

// The answer behind the data: status, headers and the request id (ours, sent as an extra header).
const answer: WithResponse<Versioned<Project>> = await client.projects.get(data.id, { headers: { 'X-Request-Id': `${tag}-get` } }).withResponse();
const status: number = answer.response.status;
if (status !== 200 || answer.requestId !== `${tag}-get` || answer.data.data.id !== data.id) throw new Error('withResponse() lost the answer');

// The types are the contract's: a body without its required name does not compile.
// @ts-expect-error name is required
const invalid = () => client.projects.create({ description: 'no name' });
void invalid;

const err = await client.projects.get('prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R').catch((e: unknown) => e);
if (!errorIs.notFound(err) || !(err instanceof ApiError)) throw new Error('expected a typed 404');
const code: 'not_found' = err.code;

const describe = (event: WebhookEvent): string => (event.type === 'project.created' ? event.data.object.slug : event.type);
try {
  describe(verifyWebhook('{}', { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'));
  throw new Error('a forged webhook verified');
} catch (e) {
  if (!(e instanceof WebhookVerificationError)) throw e;
}

await client.projects.delete(data.id, { ifMatch: etag });
console.log(`esm: created, listed and deleted ${tag}; get answered ${status}; typed ${code}; forged webhook refused`);
