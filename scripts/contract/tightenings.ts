// contract/tightenings.yaml: changes made on purpose that `redocly diff` rates breaking. A listed
// constraint added where there was none, or a listed change (rule and path), in the release the
// entry names, is rated minor (released with a CHANGELOG entry under "Refused now"); nothing
// else is relaxed.
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Change } from './diff';

export const TIGHTENINGS = join(__dirname, '..', '..', 'contract', 'tightenings.yaml');

interface Entry {
  release: string;
  why: string;
  /** Keywords added where there were none, by value. */
  constraints?: { property: string; value: unknown }[];
  /** Other reviewed changes, by redocly's rule and the change's path. */
  changes?: { rule: string; path: string }[];
}

const at = (doc: unknown, pointer: string): unknown =>
  pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);

export function readTightenings(file = TIGHTENINGS): Entry[] {
  return existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as Entry[] | null) ?? []) : [];
}

/** The change rated minor with the entry's reason when an entry for `version` lists it; else as it was. */
export function accepted(change: Change, revision: unknown, version: string, entries: Entry[]): Change {
  if (change.impact !== 'major' || change.verdicts.length !== 1) return change;
  const [verdict] = change.verdicts;
  const listed = entries.find((e) => e.release === version && e.changes?.some((c) => c.rule === verdict.ruleId && c.path === change.path));
  if (listed) return { ...change, impact: 'minor', tightened: listed.why };
  // "was set to": the keyword is new here. A changed value ("changed from") is never accepted.
  if (verdict.ruleId !== 'schema-constraint-changed' || !/ was set to /.test(verdict.message)) return change;
  const pointer = (verdict as { location?: { pointer?: string } }).location?.pointer;
  if (!pointer || !change.property || !pointer.endsWith(`/${change.property}`)) return change;
  const value = at(revision, pointer);
  const entry = entries.find(
    (e) => e.release === version && e.constraints?.some((c) => c.property === change.property && isDeepStrictEqual(c.value, value)),
  );
  return entry ? { ...change, impact: 'minor', tightened: entry.why } : change;
}
