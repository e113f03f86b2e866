// The dual-package hazard: an application that loads both builds (one dependency requires the
// CommonJS one, the application imports the ESM one) has two copies of every class. An error
// thrown by either copy must be `instanceof` the other's class, and only of the right class.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { freePort, ROOT } from '../process/run';
import { live, type Live } from './harness';
import { blackHole, type Fault } from './faults';

type Sdk = typeof import('../../sdk/src');

const MISSING = 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R';
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected a rejection'), (e: unknown) => e);

describe('SDK: instanceof across the ESM and the CommonJS build', function () {
  // Under temp/ (git-ignored): the builds' imports resolve from the repository's node_modules.
  const out = join(ROOT, 'temp', `sdk-dual-${process.pid}`);
  let esm: Sdk;
  let cjs: Sdk;
  let l: Live;
  let fault: Fault | undefined;

  before(async function () {
    this.timeout(180_000);
    await promisify(execFile)(process.execPath, [join(ROOT, 'sdk', 'build.cjs'), out]);
    esm = (await import(pathToFileURL(join(out, 'esm', 'index.js')).href)) as Sdk;
    cjs = require(join(out, 'cjs', 'index.js')) as Sdk;
    assert.notEqual(esm.ApiError, cjs.ApiError, 'two copies of the class');
    l = await live();
  });
  after(async () => {
    await fault?.close();
    await l?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('ApiError: a 404 thrown by the CommonJS client is instanceof the ESM ApiError, and the other way round', async () => {
    for (const [from, to] of [
      [cjs, esm],
      [esm, cjs],
    ]) {
      const client = new from.CloudApi({ baseUrl: l.url, apiKey: l.apiKey });
      const err = await failure(client.projects.get(MISSING));
      assert.ok(err instanceof to.ApiError && err instanceof from.ApiError);
      assert.equal(err.status, 404);
      assert.ok(to.errorIs.notFound(err) && to.isApiError(err, 'not_found'));
      assert.ok(!(err instanceof to.NetworkError) && !(err instanceof to.TimeoutError) && !(err instanceof to.WebhookVerificationError));
      assert.ok(err instanceof Error);
    }
  });

  it('NetworkError, TimeoutError and WebhookVerificationError cross over too, each only as itself', async () => {
    const refused = new cjs.CloudApi({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: l.apiKey, maxRetries: 0 });
    const network = await failure(refused.me.get());
    assert.ok(network instanceof esm.NetworkError, String(network));
    assert.ok(!(network instanceof esm.ApiError) && !(network instanceof esm.TimeoutError));

    fault = await blackHole();
    const hanging = new esm.CloudApi({ baseUrl: fault.url, apiKey: l.apiKey, maxRetries: 0, timeout: 50 });
    const timeout = await failure(hanging.me.get());
    assert.ok(timeout instanceof cjs.TimeoutError, String(timeout));
    assert.ok(!(timeout instanceof cjs.NetworkError) && !(timeout instanceof cjs.ApiError));

    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };
    const forged = (() => {
      try {
        return cjs.verifyWebhook('{}', headers, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
      } catch (e) {
        return e;
      }
    })();
    assert.ok(forged instanceof esm.WebhookVerificationError && !(forged instanceof esm.ApiError));
  });

  it('a plain object, another error, or another class\'s brand is no instance', () => {
    const lookalike = { name: 'ApiError', status: 404, code: 'not_found', message: 'Not found', details: [], headers: new Headers() };
    for (const value of [lookalike, {}, new Error('x'), new TypeError('x'), null, undefined, 'ApiError', 404]) {
      for (const sdk of [esm, cjs]) {
        assert.ok(!(value instanceof sdk.ApiError) && !(value instanceof sdk.NetworkError) && !(value instanceof sdk.TimeoutError));
        assert.ok(!sdk.isApiError(value));
      }
    }
    const network = new cjs.NetworkError('x');
    assert.ok(!(network instanceof esm.ApiError) && !(network instanceof esm.WebhookVerificationError));
    const branded = { [Symbol.for('@cloud-api/sdk.NetworkError')]: true };
    assert.ok(branded instanceof esm.NetworkError && !(branded instanceof esm.ApiError), 'the brand is the test, by design');
  });

  it("subclasses: the application's subclass of ApiError is an ApiError of both copies; an ApiError is not one of it", async () => {
    class QuotaError extends esm.ApiError {}
    const quota = new QuotaError(429, 'rate_limited', 'Slow down', [], 'req_1', new Headers());
    assert.ok(quota instanceof QuotaError && quota instanceof esm.ApiError && quota instanceof cjs.ApiError);
    assert.ok(!(quota instanceof cjs.NetworkError));

    const plain = await failure(new cjs.CloudApi({ baseUrl: l.url, apiKey: l.apiKey }).projects.get(MISSING));
    assert.ok(plain instanceof esm.ApiError && !(plain instanceof QuotaError));
    assert.ok(!(new esm.ApiError(404, 'not_found', 'x', [], undefined, new Headers()) instanceof QuotaError));
  });
});
