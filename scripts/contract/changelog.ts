// CHANGELOG.md: one `## <version> (<date>)` section per released contract, newest first,
// written by `npm run release` from the contract diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Change, type Diff } from './diff';
import { operationNames } from './reach';

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

const SECTIONS: Record<string, string> = { schemas: 'schema', parameters: 'parameter', responses: 'response', headers: 'header', requestBodies: 'request body' };

/** `#/components/schemas/Project/properties/color` -> `Project.color` (schema `Project`); a trailing keyword is the change's own. */
export function place(change: Change): string {
  const [, section, name, ...rest] = change.component!.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (rest.at(-1) === change.property && rest.at(-2) !== 'properties') rest.pop();
  let label = name;
  for (let i = 0; i < rest.length; i++) {
    const part = rest[i];
    if (part === 'properties' && i + 1 < rest.length) label += `.${rest[++i]}`;
    else if (/^(anyOf|oneOf|allOf|prefixItems)$/.test(part) && i + 1 < rest.length) label += `.${part}[${rest[++i]}]`;
    else if (part === 'items') label += '[]';
    else if (!NOISE.has(part)) label += `.${part}`;
  }
  const kind = SECTIONS[section] ?? section;
  return label === name ? `${kind} \`${name}\`` : `\`${label}\` (${kind} \`${name}\`)`;
}

/** Where a change is: the place in its component, else where redocly met it. */
export const where = (change: Change): string => (change.component ? place(change) : describe(change.path));

/** One list per line: a change, or every change at one place in a component, in the order met. */
export function grouped(changes: Change[]): Change[][] {
  const byComponent = new Map<string, Change[]>();
  const out: Change[][] = [];
  for (const change of changes) {
    const group = change.component ? byComponent.get(change.component) : undefined;
    if (group) group.push(change);
    else {
      out.push([change]);
      if (change.component) byComponent.set(change.component, out.at(-1)!);
    }
  }
  return out;
}

/** The operations a group's component reaches: `GET /projects`, `webhook project.created`. */
export const reachedBy = (group: Change[]): string[] => operationNames(group.flatMap((c) => c.reaches ?? []));

const unique = (items: (string | undefined)[]): string[] => [...new Set(items.filter((i): i is string => !!i))];

function line(group: Change[]): string {
  const [first] = group;
  // The place names the property, so redocly's "`pattern` of `name` ..." loses its "of `name`".
  const said = (c: Change) => c.verdicts.map((v) => (c.component ? v.message.replace(/^(`[^`]+`) of `[^`]+` /, '$1 ') : v.message)).join(' ');
  const what = unique(group.map(said)).join(' ') || `${first.property ? `\`${first.property}\` ` : ''}${first.kind}.`;
  const opened = unique(group.map((c) => c.opened));
  const why = opened.length ? ` (${opened.join('; ')}: additive under the contract's open-world rule)` : '';
  const names = reachedBy(group);
  const operations = names.filter((n) => !n.startsWith('webhook ')).map((n) => `\`${n}\``);
  const webhooks = names.filter((n) => n.startsWith('webhook ')).map((n) => `\`${n.slice('webhook '.length)}\``);
  const reach = [operations.join(', '), webhooks.length ? `webhook${webhooks.length > 1 ? 's' : ''} ${webhooks.join(', ')}` : ''].filter(Boolean).join('; ');
  return `- ${where(first)}: ${what}${why}${first.component && reach ? ` Reaches ${reach}.` : ''}`;
}

/** The section for one release: what was added, then how many documentation-only edits. */
export function renderEntry(version: string, date: string, diff: Diff): string {
  const tightened = diff.changes.filter((c) => c.tightened);
  const minor = diff.changes.filter((c) => c.impact === 'minor' && !c.tightened);
  const patch = diff.changes.filter((c) => c.impact === 'patch');
  const out = [`## ${version} (${date})`, ''];
  if (minor.length) out.push('### Added', '', ...grouped(minor).map(line), '');
  // Each reason once, then what it refuses now.
  for (const why of new Set(tightened.map((c) => c.tightened))) {
    out.push('### Refused now', '', why!, '', ...grouped(tightened.filter((c) => c.tightened === why)).map(line), '');
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
