import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { parse, stringify } from 'yaml';
import { judge } from '../../scripts/contract/gate';
import { render, stale, write, type Targets } from '../../scripts/contract/generate';
import { release, type ReleasePaths } from '../../scripts/contract/release';
import { fixtures, loadContract } from './breakingFixtures';

const ROOT = join(__dirname, '..', '..');

// A copy of the repository's contract files in a temp dir: openapi.yaml released as is, then changed.
describe('npm run release', function () {
  this.timeout(60_000);
  let dir: string;
  let baseVersion: string;
  let next: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-release-'));
    baseVersion = loadContract(ROOT).info.version;
    next = semver.inc(baseVersion, 'minor')!;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A work tree whose last release is today's openapi.yaml and whose contract is it changed by `change`. */
  async function workTree(change: (doc: ReturnType<typeof loadContract>) => void): Promise<ReleasePaths> {
    const work = mkdtempSync(join(dir, 'work-'));
    const releases = join(work, 'contract', 'releases');
    mkdirSync(releases, { recursive: true });
    copyFileSync(join(ROOT, 'openapi.yaml'), join(releases, `${baseVersion}.yaml`));
    const doc = loadContract(ROOT);
    change(doc);
    const contract = join(work, 'openapi.yaml');
    writeFileSync(contract, stringify(doc, { aliasDuplicateObjects: false }));
    mkdirSync(join(work, 'sdk'));
    copyFileSync(join(ROOT, 'sdk', 'package.json'), join(work, 'sdk', 'package.json'));
    const generated: Targets = {
      types: [join(work, 'generated', 'openapi.ts'), join(work, 'sdk', 'src', 'generated', 'openapi.ts')],
      operationFacts: join(work, 'generated', 'operations.ts'),
      sdkPackage: join(work, 'sdk', 'package.json'),
    };
    // As committed after `npm run generate`: fresh for the contract before its release.
    write(await render(readFileSync(contract, 'utf8'), generated));
    return { contract, releases, changelog: join(work, 'CHANGELOG.md'), generated };
  }

  const addColor = (doc: ReturnType<typeof loadContract>) => {
    doc.components.schemas.Project.properties.color = { type: 'string', maxLength: 20, description: 'A display colour.' };
  };

  it('bumps info.version, regenerates the types and the SDK version, writes the changelog entry and the snapshot; then check:generated and check:breaking pass', async () => {
    const paths = await workTree(addColor);
    assert.deepEqual(await release(paths, undefined, new Date('2026-12-01T00:00:00Z')), { version: next, previous: baseVersion });

    const contract = readFileSync(paths.contract, 'utf8');
    assert.equal(parse(contract).info.version, next);
    assert.deepEqual(stale(await render(contract, paths.generated)), [], 'check:generated fails right after the release');
    assert.equal(JSON.parse(readFileSync(paths.generated.sdkPackage, 'utf8')).version, next);
    for (const types of paths.generated.types) assert.match(readFileSync(types, 'utf8'), /^\s+color\?: string;$/m);

    assert.equal(readFileSync(join(paths.releases, `${next}.yaml`), 'utf8'), contract);
    const log = readFileSync(paths.changelog, 'utf8');
    assert.match(log, new RegExp(`^## ${next.replace(/\./g, '\\.')} \\(2026-12-01\\)$`, 'm'));
    assert.match(log, /^- `Project\.color` \(schema `Project`\): added\. Reaches .*`GET \/projects`, `POST \/projects`, `GET \/projects\/\{project_id\}`, /m);
    assert.deepEqual(judge(join(paths.releases, `${baseVersion}.yaml`), paths.contract, paths.changelog).problems, []);
    assert.deepEqual(judge(join(paths.releases, `${next}.yaml`), paths.contract, paths.changelog).problems, []);
    await assert.rejects(release(paths), /nothing to release/);
  });

  it('takes a requested version, and the SDK follows it', async () => {
    const paths = await workTree(addColor);
    const wanted = semver.inc(baseVersion, 'major')!;
    assert.equal((await release(paths, wanted)).version, wanted);
    assert.equal(JSON.parse(readFileSync(paths.generated.sdkPackage, 'utf8')).version, wanted);
    assert.deepEqual(stale(await render(readFileSync(paths.contract, 'utf8'), paths.generated)), []);
  });

  it('refuses a breaking change and writes nothing', async () => {
    const paths = await workTree(fixtures.find((f) => f.breaking)!.change);
    const before = readFileSync(paths.contract, 'utf8');
    const sdk = readFileSync(paths.generated.sdkPackage, 'utf8');
    await assert.rejects(release(paths), /breaking change/);
    assert.equal(readFileSync(paths.contract, 'utf8'), before);
    assert.equal(readFileSync(paths.generated.sdkPackage, 'utf8'), sdk);
    assert.deepEqual(readdirSync(paths.releases), [`${baseVersion}.yaml`]);
  });
});
