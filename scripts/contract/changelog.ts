// CHANGELOG.md: one `## <version> (<date>)` section per released contract, newest first,
// written by `npm run release` from the contract diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Change, type Diff } from './diff';

export const CHANGELOG = join(ROOT, 'CHANGELOG.md');
const HEADER = `# Changelog

Changes to the published contract (\`openapi.yaml\`, \`info.version\`), newest first. Within \`/v1\`
changes are additive only; \`npm run check:breaking\` refuses any other. Written by \`npm run release\`
from \`redocly diff\` against the previous release in \`contract/releases/\`.
`;

export function hasEntry(version: string, file = CHANGELOG): boolean {
  if (!existsSync(file)) return false;
  const escaped = version.replace(/\./g, '\\.');
  return new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, 'm').test(readFileSync(file, 'utf8'));
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const NOISE = new Set(['content', 'schema', 'properties', 'application/json']);

/** `#/paths/~1projects/get/responses/200/.../properties/color` -> `GET /projects` responses › 200 › data › items › color */
export function describe(pointer: string): string {
  const parts = pointer.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] !== 'paths') return `\`${parts.join(' › ')}\``;
  const [, path, method, ...rest] = parts;
  const operation = method && METHODS.has(method) ? `\`${method.toUpperCase()} ${path}\`` : `\`${path}\``;
  const tail = (METHODS.has(method ?? '') ? rest : [method, ...rest]).filter((p) => p !== undefined && !NOISE.has(p));
  return tail.length ? `${operation} ${tail.join(' › ')}` : operation;
}

function line(change: Change): string {
  const what = change.verdicts.map((v) => v.message).join(' ') || `${change.property ? `\`${change.property}\` ` : ''}${change.kind}.`;
  const why = change.opened ? ` (${change.opened}: additive under the contract's open-world rule)` : '';
  return `- ${describe(change.path)}: ${what}${why}`;
}

/** The section for one release: what was added, then how many documentation-only edits. */
export function renderEntry(version: string, date: string, diff: Diff): string {
  const tightened = diff.changes.filter((c) => c.tightened);
  const minor = diff.changes.filter((c) => c.impact === 'minor' && !c.tightened);
  const patch = diff.changes.filter((c) => c.impact === 'patch');
  const out = [`## ${version} (${date})`, ''];
  if (minor.length) out.push('### Added', '', ...minor.map(line), '');
  // Each reason once, then what it refuses now.
  for (const why of new Set(tightened.map((c) => c.tightened))) {
    out.push('### Refused now', '', why!, '', ...tightened.filter((c) => c.tightened === why).map(line), '');
  }
  // Descriptions, examples, summaries: counted, not listed (the contract's own history has them).
  if (patch.length) out.push(`${patch.length} documentation-only change${patch.length === 1 ? '' : 's'} (descriptions, examples, summaries).`, '');
  if (!minor.length && !tightened.length && !patch.length) out.push('No change to the contract.', '');
  return out.join('\n');
}

export function prependEntry(entry: string, file = CHANGELOG): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const at = current.search(/^## /m);
  const next = at < 0 ? `${current.trimEnd()}\n\n${entry}` : `${current.slice(0, at)}${entry}\n${current.slice(at)}`;
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}
