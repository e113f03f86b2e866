// The SDK follows the contract: an operation added to openapi.yaml (here getProjectCopy, a copy of
// getProject under another path, with its own x-sdk) becomes a method of the client, an entry of
// OPERATIONS and a row of the README's table by `npm run generate` alone. The proof runs in a
// scratch copy of sdk/ whose hand-written files are the repository's, unchanged.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { render, stale, write, type Targets } from '../../scripts/contract/generate';
import { sdkOperations } from '../../scripts/contract/sdkModel';
import { ROOT } from '../process/run';
import { readSpec, removeSpecCopies, specCopy } from '../support/specCopy';

type Sdk = typeof import('../../sdk/src');

const PRJ = 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** openapi.yaml with getProject's path item copied to /project-copies/{project_id}, GET only. */
function withProjectCopy(doc: any): void {
  const item = doc.paths['/projects/{project_id}'];
  const get = { ...structuredClone(item.get), operationId: 'getProjectCopy', 'x-sdk': { resource: 'projects', method: 'getCopy' } };
  doc.paths['/project-copies/{project_id}'] = { parameters: structuredClone(item.parameters), get };
}

describe('SDK: generated from the contract', function () {
  this.timeout(120_000);
  // Under temp/ (git-ignored), so the copy's imports resolve from the repository's node_modules.
  const work = join(ROOT, 'temp', `sdk-generated-${process.pid}`);
  const sdk = join(work, 'sdk');
  const targets: Targets = {
    types: [join(sdk, 'src', 'generated', 'openapi.ts')],
    operationFacts: join(work, 'generated', 'operations.ts'),
    sdkPackage: join(sdk, 'package.json'),
    sdk: {
      operations: join(sdk, 'src', 'generated', 'operations.ts'),
      resources: join(sdk, 'src', 'generated', 'resources.ts'),
      readmes: [join(sdk, 'README.md')],
    },
  };
  let outputs: [string, string][];
  let fresh: Map<string, string>;

  before(async () => {
    mkdirSync(work, { recursive: true });
    for (const file of ['src', 'package.json', 'tsconfig.json', 'README.md']) cpSync(join(ROOT, 'sdk', file), join(sdk, file), { recursive: true });
    outputs = await render(readFileSync(specCopy(withProjectCopy), 'utf8'), targets);
    write(outputs);
    // The SDK's outputs; the service's operation facts (generated/operations.ts) are rendered beside them.
    fresh = new Map(outputs.filter(([path]) => path.startsWith(sdk)).map(([path, text]) => [path.slice(sdk.length), text]));
  });
  after(() => {
    removeSpecCopies();
    rmSync(work, { recursive: true, force: true });
  });

  it('getProjectCopy: only the generated files differ from the repository\'s', () => {
    const changed = [...fresh].filter(([path, text]) => readFileSync(join(ROOT, 'sdk', path), 'utf8') !== text).map(([path]) => path);
    assert.deepEqual(changed.sort(), ['/README.md', '/src/generated/openapi.ts', '/src/generated/operations.ts', '/src/generated/resources.ts']);
  });

  it('getProjectCopy: a method of client.projects with getProject\'s signature, a row of OPERATIONS and of the README', () => {
    const resources = fresh.get('/src/generated/resources.ts')!;
    const method = /\n {2}getCopy\(projectId: string, options\?: CallOptions\): ApiPromise<Versioned<Schemas\['Project'\]>> \{\n.*\n.*\n {2}\}/.exec(resources);
    assert.ok(method, resources);
    assert.match(method[0], /versioned\(this\.ctx\.api\.GET\('\/project-copies\/\{project_id\}', \{ params, fetch: this\.ctx\.fetch\(options\) \}\)\)/);
    assert.match(fresh.get('/src/generated/operations.ts')!, /^ {2}getProjectCopy: 'projects\.getCopy',$/m);
    assert.match(fresh.get('/README.md')!, /^\| `getProjectCopy` \| `client\.projects\.getCopy` \|$/m);
  });

  it('getProjectCopy: the copy compiles (tsc --strict), typed as getProject is', async () => {
    // In src/, so the package's own tsconfig compiles it; @ts-expect-error fails if the method were `any`.
    const proof = [
      "import type { ApiPromise, CloudApi, Project, Versioned } from './index.js';",
      "import { OPERATIONS } from './index.js';",
      'declare const client: CloudApi;',
      `export const copy: ApiPromise<Versioned<Project>> = client.projects.getCopy('${PRJ}');`,
      "export const entry: 'projects.getCopy' = OPERATIONS.getProjectCopy;",
      '// @ts-expect-error: the project id is required',
      'client.projects.getCopy();',
      '',
    ].join('\n');
    writeFileSync(join(sdk, 'src', 'proof.ts'), proof);
    try {
      await promisify(execFile)(process.execPath, [TSC, '-p', join(sdk, 'tsconfig.json'), '--noEmit']);
    } catch (err) {
      assert.fail(`tsc on the scratch SDK: ${(err as { stdout?: string }).stdout ?? err}`);
    } finally {
      rmSync(join(sdk, 'src', 'proof.ts'));
    }
  });

  it('getProjectCopy: client.projects.getCopy sends GET /v1/project-copies/{project_id} and returns the project with its ETag', async () => {
    const { CloudApi, OPERATIONS } = require(join(sdk, 'src', 'index.ts')) as Sdk;
    assert.equal((OPERATIONS as Record<string, string>).getProjectCopy, 'projects.getCopy');
    const sent: string[] = [];
    const project = { id: PRJ, name: 'copy', slug: 'copy', description: null, created_at: '2026-03-17T10:22:14.000Z', updated_at: '2026-03-17T10:22:14.000Z' };
    const client = new CloudApi({
      baseUrl: 'https://api.example.com',
      apiKey: 'cp_live_not_a_real_key',
      fetch: async (input, init) => {
        sent.push(`${init.method ?? 'GET'} ${input}`);
        return new Response(JSON.stringify({ data: project }), { status: 200, headers: { 'content-type': 'application/json', etag: '"v1"' } });
      },
    });
    const getCopy = (client.projects as unknown as Record<string, (id: string) => Promise<unknown>>).getCopy.bind(client.projects);
    assert.deepEqual(await getCopy(PRJ), { data: project, etag: '"v1"' });
    assert.deepEqual(sent, [`GET https://api.example.com/v1/project-copies/${PRJ}`]);
  });

  it('getProjectCopy: a hand edit of its README row or its method is stale for check:generated', () => {
    assert.deepEqual(stale(outputs), []);
    const readme = targets.sdk!.readmes[0];
    writeFileSync(readme, readFileSync(readme, 'utf8').replace('`client.projects.getCopy`', '`client.projects.copy`'));
    writeFileSync(targets.sdk!.resources, readFileSync(targets.sdk!.resources, 'utf8').replace('  getCopy(', '  copy('));
    assert.deepEqual(stale(outputs), [targets.sdk!.resources, readme]);
    write(outputs);
  });

  it('getProjectCopy: without x-sdk, or with a method another operation has, the generator refuses it by name', () => {
    const doc = readSpec();
    withProjectCopy(doc);
    const get = doc.paths['/project-copies/{project_id}'].get;
    get['x-sdk'] = { resource: 'projects', method: 'get' };
    assert.throws(() => sdkOperations(doc), /getProjectCopy and getProject are both client\.projects\.get/);
    delete get['x-sdk'];
    assert.throws(() => sdkOperations(doc), /GET \/project-copies\/\{project_id\} \(getProjectCopy\) needs `x-sdk/);
  });
});
