import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { stringify } from 'yaml';
import { judge } from '../../scripts/contract/gate';
import { fixtures, loadContract, openReason } from './breakingFixtures';

const ROOT = join(__dirname, '..', '..');

describe('npm run check:breaking (redocly diff and the open-world rule)', function () {
  this.timeout(60_000);
  let dir: string;
  let base: string;
  let baseVersion: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-breaking-'));
    base = join(dir, 'base.yaml');
    copyFileSync(join(ROOT, 'openapi.yaml'), base);
    baseVersion = loadContract(ROOT).info.version;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The base contract a fixture starts from: openapi.yaml, or a variant of it. */
  function baseOf(fixture: { base?: (doc: ReturnType<typeof loadContract>) => void }): string {
    if (!fixture.base) return base;
    const doc = loadContract(ROOT);
    fixture.base(doc);
    const file = join(dir, `base-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(doc, { aliasDuplicateObjects: false }));
    return file;
  }

  /** The fixture as a file, with info.version set and a changelog that has an entry for it. */
  function revision(
    change: (doc: ReturnType<typeof loadContract>) => void,
    version: string,
    entry = true,
    start: (doc: ReturnType<typeof loadContract>) => void = () => {},
  ): { file: string; changelog: string } {
    const doc = loadContract(ROOT);
    start(doc);
    change(doc);
    doc.info.version = version;
    const file = join(dir, `revision-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(doc, { aliasDuplicateObjects: false }));
    const changelog = join(dir, `CHANGELOG-${version}.md`);
    writeFileSync(changelog, entry ? `# Changelog\n\n## ${version} (2026-12-01)\n\n- something\n` : '# Changelog\n');
    return { file, changelog };
  }

  for (const fixture of fixtures) {
    it(`${fixture.breaking ? 'fails' : 'passes'} when the contract ${fixture.name}`, () => {
      // A breaking change fails even with a major bump and a changelog entry.
      const version = semver.inc(baseVersion, fixture.breaking ? 'major' : 'minor')!;
      const { file, changelog } = revision(fixture.change, version, true, fixture.base);
      const verdict = judge(baseOf(fixture), file, changelog);
      const breaking = verdict.diff.changes.filter((c) => c.impact === 'major');
      if (fixture.breaking) {
        assert.equal(verdict.ok, false);
        assert.ok(breaking.length > 0, 'redocly diff reported no breaking change');
        assert.ok(verdict.problems.some((p) => p.startsWith('breaking:')));
      } else {
        assert.deepEqual(verdict.problems, [], `unexpected problems:\n${verdict.problems.join('\n')}`);
        assert.equal(verdict.diff.bump, 'minor');
      }
    });
  }

  it('passes the unchanged contract without a version bump', () => {
    const verdict = judge(base, join(ROOT, 'openapi.yaml'));
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.diff.bump, 'none');
  });

  it('passes a value added to an already open response enum', () => {
    const opened = revision((doc) => openReason(doc, ['manual', 'gone', 'failing']), baseVersion);
    const grown = revision((doc) => openReason(doc, ['manual', 'gone', 'failing', 'paused']), semver.inc(baseVersion, 'minor')!);
    const verdict = judge(opened.file, grown.file, grown.changelog);
    assert.deepEqual(verdict.problems, []);
    assert.ok(verdict.diff.changes.some((c) => c.opened === 'response enum opened or grown'));
  });

  it('still fails a value added to a closed response enum (Me.type closed, then grown)', () => {
    // Every response enum of the contract is open since 1.1.0: the closed one is planted first.
    const close = (doc: any, values: string[]) => (doc.components.schemas.Me.properties.type = { type: 'string', enum: values });
    const closed = revision((doc) => close(doc, ['user', 'api_key']), baseVersion);
    const grown = revision((doc) => close(doc, ['user', 'api_key', 'service']), semver.inc(baseVersion, 'minor')!);
    assert.match(judge(closed.file, grown.file, grown.changelog).problems.join('\n'), /breaking: .*gained values: 'service'/);
  });

  it('passes a value added to the closed enum an open response enum is built from (ErrorCode inside Error.code)', () => {
    const { file, changelog } = revision((doc) => doc.components.schemas.ErrorCode.enum.push('teapot'), semver.inc(baseVersion, 'minor')!);
    assert.deepEqual(judge(base, file, changelog).problems, []);
  });

  const additive = fixtures.find((f) => !f.breaking && f.name.startsWith('adds an operation'))!;

  it('fails an additive change that keeps the released version', () => {
    const { file, changelog } = revision(additive.change, baseVersion);
    const verdict = judge(base, file, changelog);
    assert.equal(verdict.ok, false);
    assert.match(verdict.problems.join('\n'), /additive changes need info\.version .*npm run release/);
  });

  it('fails an additive change bumped only in its patch part', () => {
    const { file, changelog } = revision(additive.change, semver.inc(baseVersion, 'patch')!);
    assert.match(judge(base, file, changelog).problems.join('\n'), /additive changes need info\.version/);
  });

  it('fails a bumped version without a CHANGELOG.md entry', () => {
    const { file, changelog } = revision(additive.change, semver.inc(baseVersion, 'minor')!, false);
    assert.match(judge(base, file, changelog).problems.join('\n'), /CHANGELOG\.md has no entry for/);
  });

  it('fails a version lower than the last release', () => {
    const { file, changelog } = revision(() => undefined, '0.9.0');
    assert.match(judge(base, file, changelog).problems.join('\n'), /lower than the last release/);
  });
});
