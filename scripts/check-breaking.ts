// `npm run check:breaking [-- --base FILE] [-- --revision FILE]`: the breaking-change gate
// (scripts/contract/gate.ts). Defaults: the newest contract/releases/<version>.yaml and openapi.yaml.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { judge, summary } from './contract/gate';
import { grouped, reachedBy, where } from './contract/changelog';
import { latestRelease, ROOT } from './contract/diff';

const { values } = parseArgs({ options: { base: { type: 'string' }, revision: { type: 'string' }, changelog: { type: 'string' } } });
const base = values.base ?? latestRelease().file;
const revision = values.revision ?? join(ROOT, 'openapi.yaml');
const verdict = judge(base, revision, values.changelog);
const { diff } = verdict;

console.log(`contract ${diff.revisionVersion} against release ${diff.baseVersion}: ${summary(diff.changes)}`);
for (const group of grouped(diff.changes.filter((c) => c.impact === 'minor'))) {
  const [c] = group;
  const names = reachedBy(group);
  const reach = c.component ? `, reaches ${names.length > 6 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ')}` : '';
  console.log(`  ${c.tightened ? 'accepted tightening' : 'additive'}: ${where(c)}${c.opened ? ` (${c.opened})` : ''}${reach}`);
}
if (!verdict.ok) {
  for (const p of verdict.problems) console.error(`  ${p}`);
  console.error('check:breaking failed.');
  process.exit(1);
}
console.log('check:breaking passed.');
