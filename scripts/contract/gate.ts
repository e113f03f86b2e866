// The breaking-change gate: openapi.yaml against the newest contract/releases/<version>.yaml.
// Fails on any breaking change; an additive change needs info.version bumped (at least the minor
// part) and a CHANGELOG.md entry for it, both written by `npm run release`.
import semver from 'semver';
import { hasEntry, where } from './changelog';
import { diffContracts, type Change, type Diff } from './diff';

export interface Verdict {
  ok: boolean;
  diff: Diff;
  problems: string[];
}

export function judge(baseFile: string, revisionFile: string, changelog?: string): Verdict {
  const diff = diffContracts(baseFile, revisionFile);
  const problems: string[] = [];
  const { baseVersion: base, revisionVersion: revision } = diff;
  const breaking = diff.changes.filter((c) => c.impact === 'major');
  for (const c of breaking) problems.push(`breaking: ${where(c)}: ${c.verdicts.map((v) => `${v.message} [${v.ruleId}]`).join(' ')}`);
  if (!semver.valid(revision)) {
    problems.push(`info.version "${revision}" is not semver (x.y.z)`);
  } else if (semver.lt(revision, base)) {
    problems.push(`info.version ${revision} is lower than the last release ${base}`);
  } else {
    if (diff.bump === 'minor' && semver.lt(revision, semver.inc(base, 'minor')!)) {
      problems.push(`additive changes need info.version ${semver.inc(base, 'minor')} or later (it is ${revision}): run \`npm run release\``);
    }
    if (semver.gt(revision, base) && !hasEntry(revision, changelog)) {
      problems.push(`CHANGELOG.md has no entry for ${revision}: run \`npm run release\``);
    }
  }
  return { ok: problems.length === 0, diff, problems };
}

export function summary(changes: Change[]): string {
  const count = (i: string) => changes.filter((c) => c.impact === i).length;
  const opened = changes.filter((c) => c.opened).length;
  return `${count('major')} breaking, ${count('minor')} additive${opened ? ` (${opened} opened response schemas among them)` : ''}, ${count('patch')} patch`;
}
