// The contract diff behind `npm run check:breaking` and `npm run release`: `redocly diff` (Redocly
// CLI, offline) rates every change patch, minor or major; `openings` then lowers the one kind of
// "major" that our contract declares additive (see reclassify).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import semver from 'semver';
import { parse } from 'yaml';
import { locator } from './reach';
import { accepted, readTightenings, TIGHTENINGS } from './tightenings';

export const ROOT = join(__dirname, '..', '..');
export const RELEASES = join(ROOT, 'contract', 'releases');
const CONFIG = join(ROOT, 'contract', 'redocly-diff.yaml');
const REDOCLY = join(ROOT, 'node_modules', '.bin', 'redocly');

export type Impact = 'patch' | 'minor' | 'major';

interface Location {
  pointer: string;
  value?: unknown;
}

export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'modified';
  impact: Impact;
  property?: string;
  verdicts: { ruleId: string; impact: Impact; message: string }[];
  base?: Location;
  revision?: Location;
  /** Set when reclassify lowered a major change, with the reason. */
  opened?: string;
  /** Set when contract/tightenings.yaml accepts an added constraint, with its reason. */
  tightened?: string;
  /** The place in a component the change is at (`#/components/schemas/Project/properties/color`), when it is in one. */
  component?: string;
  /** When it is in a component: the operations that reach it in both versions, and the one redocly named, by pointer (`#/paths/~1projects/get`). */
  reaches?: string[];
}

export interface Diff {
  baseVersion: string;
  revisionVersion: string;
  changes: Change[];
  bump: Impact | 'none';
}

/** The newest file of contract/releases/ by semver, e.g. contract/releases/1.0.0.yaml. */
export function latestRelease(dir = RELEASES): { version: string; file: string } {
  const versions = readdirSync(dir)
    .map((f) => /^(.+)\.yaml$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined && semver.valid(v) !== null)
    .sort(semver.rcompare);
  if (versions.length === 0) throw new Error(`no release in ${dir}`);
  return { version: versions[0], file: join(dir, `${versions[0]}.yaml`) };
}

export function redocly(args: string[]): string {
  return execFileSync(REDOCLY, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
}

/** Runs `redocly diff --format json`, applies reclassify and names what a change in a component reaches. */
export function diffContracts(baseFile: string, revisionFile: string, tighteningsFile = TIGHTENINGS): Diff {
  const report = JSON.parse(redocly(['diff', baseFile, revisionFile, '--config', CONFIG, '--format', 'json', '--fail-on', 'none']));
  const revision = parse(readFileSync(revisionFile, 'utf8'));
  const tightenings = readTightenings(tighteningsFile);
  const version = report.infoVersions.revision as string;
  const baseDoc = parse(readFileSync(baseFile, 'utf8'));
  const reach = locator(baseDoc, revision);
  const changes = (report.changes as Change[]).map((c) => reach(accepted(reclassify(c, revision, baseDoc), revision, version, tightenings)));
  const rank: Impact[] = ['patch', 'minor', 'major'];
  const top = changes.reduce((m, c) => Math.max(m, rank.indexOf(c.impact)), -1);
  return { baseVersion: report.infoVersions.base, revisionVersion: report.infoVersions.revision, changes, bump: top < 0 ? 'none' : rank[top] };
}

function resolve(doc: unknown, pointer: string, from: unknown = doc): unknown {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (!parts.length) {
    let node = from;
    for (let hops = 0; isObject(node) && typeof node.$ref === 'string' && hops < 32; hops++) node = resolve(doc, node.$ref);
    return node;
  }
  return parts.reduce<unknown>((node, part) => {
    // A path through the document (redocly's `path`) crosses $refs: follow them on the way.
    for (let hops = 0; isObject(node) && typeof node.$ref === 'string' && hops < 32; hops++) node = resolve(doc, node.$ref);
    if (node === null || typeof node !== 'object') return undefined;
    return (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }, doc);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A response enum documented as open: `x-extensible-enum: [...]`, or `anyOf`/`oneOf` of a bare
 * `{type: string}` and branches that only list values (an `enum`, a `const`, or a union of such,
 * as EnabledEventValue holds EnabledEvent which holds EventType). Its `known` values are those listed.
 */
function openEnum(schema: Record<string, unknown> | undefined, doc: unknown): string[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema['x-extensible-enum'])) return schema['x-extensible-enum'] as string[];
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (!Array.isArray(branches)) return undefined;
  const resolved = branches.map((b) => resolve(doc, '', b));
  const bare = (b: unknown) => isObject(b) && b.type === 'string' && ['enum', 'const', 'anyOf', 'oneOf'].every((k) => b[k] === undefined);
  if (!resolved.some(bare)) return undefined;
  const known = resolved.filter((b) => !bare(b)).map((b) => knownValues(b, doc));
  return known.length > 0 && known.every((k) => k !== undefined) ? (known as string[][]).flat() : undefined;
}

/** The values a schema lists, through $refs and nested unions; undefined when a branch admits more than a list. */
function knownValues(node: unknown, doc: unknown, depth = 0): string[] | undefined {
  const schema = resolve(doc, '', node);
  if (!isObject(schema) || depth > 16) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum as string[];
  if (schema.const !== undefined) return [schema.const as string];
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const each = branches.map((b) => knownValues(b, doc, depth + 1));
  return each.every((v) => v !== undefined) ? (each as string[][]).flat() : undefined;
}

/** A pointer without its last `/anyOf/N` or `/oneOf/N`: the union holding a branch. */
const strip = (pointer: string): string => pointer.replace(/\/(anyOf|oneOf)\/\d+$/, '');

/** The revision's schema a change is about (its pointer may name the schema or the keyword), and the
 * schema holding it when it is a branch of an anyOf/oneOf. */
function schemasAt(change: Change, doc: unknown): Record<string, unknown>[] {
  const pointer = change.revision?.pointer;
  if (!pointer) return [];
  const schema = change.property ? pointer.replace(new RegExp(`/${change.property}$`), '') : pointer;
  // A property named like the keyword (Me's `type`) makes the pointer name the schema itself.
  // The component (ErrorCode) is closed; where it is used, the schema holding it may be the open
  // enum (`anyOf: [ErrorCode, string]`): that holder is found along the change's path.
  // Enums nest (EventType in EnabledEvent in EnabledEventValue), so every enclosing union is a candidate.
  const holders: string[] = [];
  for (let at = change.path, up = strip(at); up !== at; at = up, up = strip(at)) holders.push(up);
  const candidates = [schema, strip(schema), ...(schema === pointer ? [] : [pointer]), ...holders];
  return candidates.map((p) => resolve(doc, p)).map((node) => resolve(doc, '', node)).filter(isObject);
}

/**
 * The contract promises additive change within /v1 (clients must ignore unknown fields and enum
 * values), so in a *response* two changes that redocly rates major are additive here, and only these:
 * - a closed object opened: `additionalProperties`/`unevaluatedProperties: false` removed or made true;
 * - an enum opened or grown: the schema now is an open enum that still lists every value it had
 *   (also when its known values move, say from an inline `enum` to a `$ref`: redocly matches the
 *   branches of an anyOf by value, so it sees a new branch there).
 * - a union of typed objects grown (Event gains MemberEvent): every branch is an object whose required
 *   `type` lists its values, the old branches stay as they were, and the new one's types are new.
 *   Clients skip types they do not know (the open `EventTypeValue`), as they skip unknown enum values.
 * Everything else keeps redocly's rating, and nothing in a request is relaxed.
 */
export function reclassify(change: Change, revision: unknown, base?: unknown): Change {
  if (change.impact !== 'major' || !change.path.includes('/responses/')) return change;
  const lower = (why: string): Change => ({ ...change, impact: 'minor', opened: why });
  if (change.kind === 'added' && base !== undefined && knownBranchReplaced(change, base, revision)) return lower('response enum\'s known values restated');
  if (change.kind === 'added' && base !== undefined && unionGrown(change, base, revision)) return lower('response union gained a member of a new type');
  const [schema] = schemasAt(change, revision);
  if (change.property === 'additionalProperties' || change.property === 'unevaluatedProperties') {
    const now = schema?.[change.property];
    return change.base?.value === false && (now === undefined || now === true) ? lower(`response object opened (${change.property} removed)`) : change;
  }
  if (change.property !== 'enum' && change.property !== 'type') return change;
  const known = schemasAt(change, revision).map((s) => openEnum(s, revision)).find((k) => k !== undefined);
  if (!known) return change;
  if (change.property === 'type') return change.base?.value === 'string' ? lower('response enum opened (type)') : change;
  const before = change.base?.value;
  return Array.isArray(before) && before.every((v) => known.includes(v)) ? lower('response enum opened or grown') : change;
}

/**
 * An added anyOf/oneOf branch that is the known-values branch of an open enum which was open
 * before, has as many branches as before, and lists every value it knew.
 */
function knownBranchReplaced(change: Change, base: unknown, revision: unknown): boolean {
  const holderPath = change.path.replace(/\/(anyOf|oneOf)\/\d+$/, '');
  if (holderPath === change.path) return false;
  const [before, now] = [resolve(base, holderPath), resolve(revision, holderPath)];
  if (!isObject(before) || !isObject(now)) return false;
  const branches = (s: Record<string, unknown>) => ((s.anyOf ?? s.oneOf) as unknown[] | undefined)?.length;
  const [knownBefore, knownNow] = [openEnum(before, base), openEnum(now, revision)];
  const added = resolve(revision, '', change.revision?.value);
  return (
    knownBefore !== undefined &&
    knownNow !== undefined &&
    branches(before) === branches(now) &&
    isObject(added) &&
    Array.isArray(added.enum) &&
    knownBefore.every((v) => (added.enum as unknown[]).includes(v))
  );
}

/** An added branch of a response union of objects told apart by their `type` (see reclassify). */
function unionGrown(change: Change, base: unknown, revision: unknown): boolean {
  const at = /^(.*)\/(anyOf|oneOf)\/(\d+)$/.exec(change.path);
  if (!at) return false;
  const [holder, keyword, index] = [at[1], at[2], Number(at[3])];
  const branchesIn = (doc: unknown): unknown[] | undefined => {
    const schema = resolve(doc, '', resolve(doc, holder));
    return isObject(schema) && Array.isArray(schema[keyword]) ? (schema[keyword] as unknown[]) : undefined;
  };
  const [old, grown] = [branchesIn(base), branchesIn(revision)];
  if (!old || !grown || index < old.length || index >= grown.length) return false;
  if (!old.every((b, i) => isDeepStrictEqual(b, grown[i]))) return false;
  const types = grown.map((b) => {
    const schema = resolve(revision, '', b);
    const typed = isObject(schema) && Array.isArray(schema.required) && schema.required.includes('type') && isObject(schema.properties);
    return typed ? knownValues((schema.properties as Record<string, unknown>).type, revision) : undefined;
  });
  if (types.some((t) => t === undefined)) return false;
  const others = new Set(types.filter((_, i) => i !== index).flat());
  return (types[index] as string[]).every((t) => !others.has(t));
}
