import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { makeTestApp, PUBLIC_URL } from '../helpers';
import { loadSpec } from '../../src/contract/document';

describe('contract: the served document', () => {
  it('/openapi.json and /openapi.yaml name this deployment by its absolute PUBLIC_URL; openapi.yaml keeps /v1', async () => {
    const t = makeTestApp();
    const json = (await t.http.get('/openapi.json').expect(200)).body;
    const yaml = parse((await t.http.get('/openapi.yaml').expect(200)).text);
    const file = loadSpec().servers as { url: string }[];
    assert.equal(file.length, 1);
    assert.equal(file[0].url, '/v1');
    for (const served of [json, yaml]) assert.deepEqual(served.servers, [{ ...file[0], url: `${PUBLIC_URL}/v1` }]);
  });

  it('another PUBLIC_URL (with a path) is served as given', async () => {
    const t = makeTestApp({ PUBLIC_URL: 'https://api.example.com/cloud' });
    const json = (await t.http.get('/openapi.json').expect(200)).body;
    assert.equal(json.servers[0].url, 'https://api.example.com/cloud/v1');
  });
});
