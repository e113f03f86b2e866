// A release of the contract: refuses a breaking change; otherwise sets info.version (given,
// already bumped, or the least bump the changes need), regenerates what `npm run generate` writes
// (the types and the SDK's version follow info.version), writes the CHANGELOG.md entry from the
// diff and the snapshot <releases>/<version>.yaml.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { hasEntry, prependEntry, renderEntry } from './changelog';
import { diffContracts, latestRelease } from './diff';
import { render, write, type Targets } from './generate';

export interface ReleasePaths {
  contract: string;
  releases: string;
  changelog: string;
  generated: Targets;
}

export async function release(paths: ReleasePaths, requested?: string, today = new Date()): Promise<{ version: string; previous: string }> {
  const last = latestRelease(paths.releases);
  const diff = diffContracts(last.file, paths.contract);
  const breaking = diff.changes.filter((c) => c.impact === 'major');
  if (breaking.length) throw new Error(`the contract has ${breaking.length} breaking change(s) against ${last.version}; \`npm run check:breaking\` lists them`);
  if (diff.bump === 'none') throw new Error(`the contract is the same as release ${last.version}: nothing to release`);

  const least = semver.inc(last.version, diff.bump === 'minor' ? 'minor' : 'patch')!;
  const current = diff.revisionVersion;
  const version = requested ?? (semver.valid(current) && semver.gt(current, last.version) ? current : least);
  if (!semver.valid(version) || semver.lt(version, least)) throw new Error(`version ${version}: these changes need ${least} or later`);
  if (hasEntry(version, paths.changelog)) throw new Error(`${paths.changelog} already has an entry for ${version}`);

  const text = readFileSync(paths.contract, 'utf8');
  // Only info's own `version:` line changes, so the file keeps its formatting byte for byte.
  const next = version === current ? text : text.replace(/^(info:\n(?:[ \t].*\n|\n)*?  version:[ \t]*)['"]?[^\s'"]+['"]?/m, `$1${version}`);
  if (next === text && version !== current) throw new Error(`could not find info.version in ${paths.contract}`);
  // Rendered before anything is written, so a contract the generator refuses leaves every file as it was.
  const generated = await render(next, paths.generated);
  writeFileSync(paths.contract, next);
  write(generated);
  prependEntry(renderEntry(version, today.toISOString().slice(0, 10), diff), paths.changelog);
  copyFileSync(paths.contract, join(paths.releases, `${version}.yaml`));
  return { version, previous: last.version };
}
