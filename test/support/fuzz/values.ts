import fc from 'fast-check';
import type { Schema } from './contract';
import { CROCKFORD, ID_KINDS, ID_PATTERN, kindOfName, Ref } from './refs';

/** How a value is used: `name` (property or parameter) picks pools; `ascii` for header values. */
export interface Hint {
  name?: string;
  ascii?: boolean;
}

/**
 * Dates are generated around a fixed instant rather than the clock, so that a seed replays the
 * same requests on any day; the wider spread (1970-2100) gives windows that hold the run's events.
 */
export const ANCHOR = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/** A string of exactly `length` code points of `unit`'s kind. */
const ofLength = (unit: fc.Arbitrary<string>, length: number) =>
  fc.array(unit, { minLength: length, maxLength: length }).map((cs) => cs.join(''));

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** RFC 3339 text of `ms`, in one of the forms clients send (Z or an offset, with or without fractions). */
export function rfc3339(ms: number, style: number): string {
  const offsetMin = [0, 0, 120, -330, 840, -720][style % 6];
  const d = new Date(ms + offsetMin * 60_000);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const fraction = [``, `.${pad(d.getUTCMilliseconds(), 3)}`, `.${pad(d.getUTCMilliseconds(), 3)}123`][style % 3];
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}${zone}`;
}

/** An instant: mostly near the anchor, sometimes anywhere in years 0001-9999. */
export const instant = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -60 * DAY, max: 60 * DAY }).map((d) => ANCHOR + d) },
  { weight: 3, arbitrary: fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }) },
  { weight: 1, arbitrary: fc.integer({ min: FIRST, max: LAST }) },
);

const dateTime = fc.tuple(instant, fc.nat(30)).map(([ms, style]) => rfc3339(ms, style));
const dateOnly = instant.map((ms) => rfc3339(ms, 0).slice(0, 10));

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/), label, fc.constantFrom('com', 'test', 'example', 'io'))
  .map(([local, host, tld]) => `${local}@${host}.${tld}`);

/** Webhook URLs on loopback only: nothing a test app stores could be delivered anywhere else. */
const loopbackUrl = fc
  .tuple(fc.constantFrom('http://127.0.0.1', 'https://127.0.0.1', 'http://[::1]', 'http://localhost'), fc.integer({ min: 1, max: 65535 }), fc.stringMatching(/^(\/[a-z0-9._~-]{0,12}){0,3}$/))
  .map(([origin, port, path]) => `${origin}:${port}${path}`);

/** A well-formed id with this prefix that no app ever issued (the time part is in 1970). */
export const unknownId = (prefix: string) => ofLength(fc.constantFrom(...CROCKFORD), 24).map((s) => `${prefix}_00${s}`);

/** A reference to an existing value of `kind`, or (now and then) a fresh one of the same shape. */
const existingOr = (kind: Ref['kind'], fresh: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: fc.nat().map((n) => new Ref(kind, n)) }, { weight: 1, arbitrary: fresh });

/** Text for a schema without a pattern or format, between its bounds. */
function text(schema: Schema, hint: Hint): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, schema.maxLength ?? 64);
  const units = hint.ascii
    ? [fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'), fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c))]
    : [fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789- '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('é', 'ß', '字', '🚀', '\u200d', '\u2028', '\ufeff', '\u0301')];
  const unit = fc.oneof({ weight: 5, arbitrary: units[0] }, ...units.slice(1));
  const short = fc.integer({ min, max: Math.min(max, min + 24) }).chain((n) => ofLength(unit, n));
  return fc.oneof({ weight: 8, arbitrary: short }, { weight: 1, arbitrary: ofLength(unit, max) }, { weight: 1, arbitrary: ofLength(unit, min) });
}

/** What `pattern` matches, as fast-check understands it; undefined when it cannot. */
function matching(pattern: string): fc.Arbitrary<string> | undefined {
  for (const flags of ['u', '']) {
    try {
      const arb = fc.stringMatching(new RegExp(pattern, flags));
      fc.sample(arb, 1);
      return arb;
    } catch {
      // not every JavaScript regexp is supported: try without `u`, then give up
    }
  }
  return undefined;
}

/** A RegExp for `pattern`, with the `u` flag as JSON Schema means it where it compiles. */
function regexp(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // tried without `u` next
    }
  }
  return undefined;
}

/**
 * Text a schema accepts: what fast-check makes of its pattern (ASCII mostly), and the Unicode text
 * of text() where the pattern lets enough of it through (rules on text, not formats like slugs).
 */
function anyText(schema: Schema, hint: Hint): fc.Arbitrary<string> | undefined {
  if (!schema.pattern) return text(schema, hint);
  const re = regexp(schema.pattern);
  const options = [matching(schema.pattern)].filter((a) => a !== undefined);
  const unicode = text(schema, hint);
  if (re && fc.sample(unicode, { seed: 1, numRuns: 40 }).filter((s) => re.test(s)).length >= 20) options.push(unicode.filter((s) => re.test(s)));
  return options.length ? fc.oneof(...options) : undefined;
}

function stringValue(schema: Schema, hint: Hint): fc.Arbitrary<unknown> {
  const kind = kindOfName(hint.name);
  const examples = (schema.examples ?? []).filter((e: unknown) => typeof e === 'string');
  const length = (s: string) => [...s].length;
  const general = anyText(schema, hint)?.filter((s) => length(s) >= (schema.minLength ?? 0) && length(s) <= (schema.maxLength ?? Infinity));
  const textual = general && examples.length ? fc.oneof(general, fc.constantFrom(...examples)) : general ?? fc.constantFrom('x', ...examples);
  if (kind === 'email') return fc.oneof(fc.constant(new Ref('email', 0)), email);
  if (kind === 'password') return fc.oneof(fc.constant(new Ref('password', 0)), textual);
  if (kind === 'refreshToken') return existingOr('refreshToken', fc.stringMatching(/^rt_[A-Za-z0-9_-]{10,60}$/));
  if (kind === 'cursor') return existingOr('cursor', fc.stringMatching(/^[A-Za-z0-9_-]{8,80}\.[A-Za-z0-9_-]{8,43}$/));
  if (kind === 'etag') return fc.oneof(fc.constant(new Ref('etag', 0)), fc.constantFrom('*', '"v1"', 'W/"v1"', '"a", "b"', '"x"'));
  // A few keys used again and again: replays and `422 idempotency_key_reused`, not only first uses.
  if (hint.name === 'Idempotency-Key') return fc.oneof(fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'), textual);
  const id = ID_PATTERN.exec(schema.pattern ?? '');
  if (id) return existingOr(ID_KINDS[id[1]] ?? 'project', unknownId(id[1]));
  if (schema.format === 'date-time') return dateTime;
  if (schema.format === 'date') return dateOnly;
  if (schema.format === 'email') return email;
  if (schema.format === 'uri') return loopbackUrl;
  return textual;
}

function integerValue(schema: Schema): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 31));
  const max = Math.min(schema.maximum ?? 2 ** 31, 2 ** 31);
  return fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 200) }) }, fc.integer({ min, max }), fc.constantFrom(min, max));
}

function objectValue(schema: Schema, hint: Hint): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const shapes = Object.fromEntries(Object.entries<Schema>(props).map(([k, s]) => [k, validValue(s, { ...hint, name: k })]));
  const record = fc.record(shapes, { requiredKeys: (schema.required ?? []).filter((k: string) => k in props) });
  const min = schema.minProperties ?? 0;
  return min ? record.filter((o) => Object.keys(o).length >= min) : record;
}

/** Values the schema accepts: valid requests, so that the service goes past validation. */
export function validValue(schema: Schema, hint: Hint = {}): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return fc.oneof(...branches.map((b: Schema) => validValue({ ...rest, ...b }, hint)));
  }
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((type: string) => (type === 'null' ? fc.constant(null) : validValue({ ...schema, type }, hint))));
  }
  switch (schema.type) {
    case 'string':
      return stringValue(schema, hint);
    case 'integer':
      return integerValue(schema);
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = validValue(schema.items ?? {}, hint);
      const bounds = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 8, (schema.minItems ?? 0) + 5) };
      return schema.uniqueItems ? fc.uniqueArray(item, { ...bounds, selector: (v) => JSON.stringify(v) }) : fc.array(item, bounds);
    }
    case 'object':
      return objectValue(schema, hint);
    default:
      return schema.properties ? objectValue(schema, hint) : fc.jsonValue({ maxDepth: 2 });
  }
}
