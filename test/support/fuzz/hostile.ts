import fc from 'fast-check';
import type { Schema } from './contract';
import { ID_PATTERN } from './refs';
import { validValue, type Hint } from './values';

// The inputs that made the production engine (PostgreSQL + Redis) answer 500 where SQLite answered
// 400 or stored them (issue #22), and their neighbours: what a careless or hostile client sends.

const C0 = [...Array(32).keys()].map((c) => String.fromCharCode(c)).concat('\x7f');
/** A control character, NUL most often: PostgreSQL text cannot hold it at all. */
const control = fc.oneof({ weight: 3, arbitrary: fc.constant('\0') }, fc.constantFrom(...C0));
const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');

/** Instants outside what every engine stores (years 0001-9999), and times that do not exist. */
export const HOSTILE_DATES = [
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59Z',
  '-000001-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '9999-12-31T23:59:60Z',
  '9999-12-31T23:59:59.999999999Z',
  '0001-01-01T00:00:00+01:00',
  '9999-12-31T23:00:00-14:00',
  '2026-02-29T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-06-30T23:59:60Z',
  '2026-01-01T00:00:00+24:00',
  '2026-01-01T00:00:00',
  '2026-01-01 00:00:00Z',
  '2026-01-01t00:00:00z',
  '2026-01-01T00:00:00.Z',
  '1970-01-01T00:00:00Z',
  '275760-09-13T00:00:00Z',
];
const HOSTILE_DAYS = ['0000-01-01', '10000-01-01', '2026-02-30', '2026-00-10', '2026-1-1', '+002026-01-01', '1969-12-31'];
const HOSTILE_EMAILS = [
  `${'a'.repeat(288)}@example.com`,
  `a@${'b'.repeat(250)}.com`,
  `${'a'.repeat(65)}@example.com`,
  'a\0b@example.com',
  'owner@example.com\0',
  'ü@exämple.com',
  '"a b"@example.com',
  'a@[127.0.0.1]',
  'a@b',
  '@example.com',
  'a@@example.com',
  'A@EXAMPLE.COM',
];
const HOSTILE_URLS = [
  'ftp://127.0.0.1/hooks',
  'http://user:pw@127.0.0.1/hooks',
  'http://127.0.0.1:99999/',
  'http://[::1/',
  'javascript:alert(1)',
  'http://127.0.0.1/hooks\0',
  'http://127.0.0.1/%00',
  'http://0x7f.1/hooks',
  'http://2130706433/hooks',
  'http://[::ffff:127.0.0.1]/hooks',
  'http://0.0.0.0/hooks',
  'http://169.254.169.254/latest/meta-data',
  `http://127.0.0.1/${'a'.repeat(2040)}`,
  'https://',
  'http://127.0.0.1:9/hooks#frag\u2028',
];
const HOSTILE_TEXT = ["' OR 1=1 --", '%', '_', '\\', '%_%', '\\x00', '${jndi:ldap://x}', '\u202e', '\ufeff', 'ＡＢＣ', 'e\u0301', ' ', ''];
const WRONG_TYPES: unknown[] = [0, -1, 1.5, true, false, null, [], {}, 'x', [null], { a: 1 }, 1e308, -1e308];
export const HUGE_NUMBERS = [-1, 0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53 + 1, 2 ** 63, 1e21, 1.5, -0.5, 1e308];

/** `value` with `bad` put in at a position chosen by `at`. */
const inject = (value: string, bad: string, at: number) => {
  const i = value.length ? at % (value.length + 1) : 0;
  return value.slice(0, i) + bad + value.slice(i);
};

/** A valid text with one bad character in it (control, lone surrogate), or one code point too many. */
function badText(schema: Schema, hint: Hint): fc.Arbitrary<string> {
  const base = validValue({ ...schema, minLength: Math.max(schema.minLength ?? 0, 1) }, hint).map((v) => (typeof v === 'string' ? v : 'valid'));
  const options: fc.Arbitrary<string>[] = [
    fc.tuple(base, control, fc.nat()).map(([v, c, at]) => inject(v, c, at)),
    fc.tuple(base, loneSurrogate, fc.nat()).map(([v, c, at]) => inject(v, c, at)),
    fc.constantFrom(...HOSTILE_TEXT),
  ];
  if (schema.maxLength !== undefined && schema.maxLength < 5000) {
    options.push(fc.constantFrom('a', 'é', '🚀').map((c) => c.repeat(schema.maxLength + 1)));
    // At the limit in code points, twice over it in UTF-16 units or bytes.
    options.push(fc.constant('🚀'.repeat(schema.maxLength)));
  }
  return fc.oneof(...options);
}

function hostileString(schema: Schema, hint: Hint): fc.Arbitrary<unknown> {
  const special: fc.Arbitrary<unknown>[] = [];
  if (schema.format === 'date-time') special.push(fc.constantFrom(...HOSTILE_DATES));
  if (schema.format === 'date' || Array.isArray(schema.anyOf)) special.push(fc.constantFrom(...HOSTILE_DAYS, ...HOSTILE_DATES));
  if (schema.format === 'email' || hint.name === 'email') special.push(fc.constantFrom(...HOSTILE_EMAILS));
  if (schema.format === 'uri') special.push(fc.constantFrom(...HOSTILE_URLS));
  if (Array.isArray(schema.enum)) {
    const known = schema.enum.map(String);
    special.push(fc.constantFrom('unknown', '', ...known.map((v: string) => v.toUpperCase()), ...known.map((v: string) => `${v} `), ...known.map((v: string) => `${v}\0`)));
  }
  const id = ID_PATTERN.exec(schema.pattern ?? '');
  if (id) {
    const p = id[1];
    special.push(fc.constantFrom(`${p}_01jd3y8n6v4q2x7r5t9w1k3m5r`, `${p}_01JD3Y8N6V4Q2X7R5T9W1K3M5`, `${p}_01JD3Y8N6V4Q2X7R5T9W1K3M5RR`, `${p}_IIIIIIIIIIIIIIIIIIIIIIIIII`, `xyz_01JD3Y8N6V4Q2X7R5T9W1K3M5R`, `${p}_01JD3Y8N6V4Q2X7R5T9W1K3\0M5`));
  }
  const texts = badText({ ...schema, format: undefined, enum: undefined }, hint);
  return special.length ? fc.oneof({ weight: 2 * special.length, arbitrary: fc.oneof(...special) }, { weight: 1, arbitrary: texts }) : texts;
}

function hostileObject(schema: Schema, hint: Hint): fc.Arbitrary<unknown> {
  const props = Object.keys(schema.properties ?? {});
  const valid = validValue(schema, hint) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<unknown>[] = [
    fc.tuple(valid, fc.constantFrom('unknown', 'id', '__proto__', 'constructor', 'NAME', ''), fc.jsonValue({ maxDepth: 1 })).map(([o, k, v]) => ({ ...o, [k]: v })),
  ];
  const required: string[] = schema.required ?? [];
  if (required.length) options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([o, k]) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))));
  if (props.length) {
    // One member replaced by a hostile value: the rest valid, so the request goes as far as it can.
    const member = fc.constantFrom(...props).chain((k) => fc.tuple(fc.constant(k), hostileValue(schema.properties[k], { ...hint, name: k })));
    options.push(fc.tuple(valid, member).map(([o, [k, v]]) => ({ ...o, [k]: v })));
    options.push(fc.tuple(valid, member).map(([o, [k, v]]) => ({ ...o, [k]: v })));
  }
  return fc.oneof(...options);
}

/** Values the schema refuses (or accepts only at its edges): wrong types, bad text, out of range. */
export function hostileValue(schema: Schema, hint: Hint = {}): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom(...WRONG_TYPES);
  const branches = schema.anyOf ?? schema.oneOf;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type ?? (branches ? branches[0].type : undefined);
  let own: fc.Arbitrary<unknown> | undefined;
  if (type === 'string' || (!type && branches)) own = hostileString({ ...(branches?.[0] ?? {}), ...schema, type: 'string' }, hint);
  else if (type === 'integer' || type === 'number') {
    const bounds = [schema.minimum, schema.maximum].filter((b) => typeof b === 'number');
    own = fc.constantFrom(...HUGE_NUMBERS, ...bounds.flatMap((b) => [b - 1, b + 1]), '1', '');
  } else if (type === 'array') {
    const item = validValue(schema.items ?? {}, hint);
    const over = (schema.maxItems ?? 16) + 1;
    own = fc.oneof(
      fc.constant([]),
      fc.array(item, { minLength: over, maxLength: over }),
      item.map((v) => [v, v]),
      fc.tuple(hostileValue(schema.items ?? {}, hint), item).map(([bad, ok]) => [ok, bad]),
    );
  } else if (type === 'object') own = hostileObject(schema, hint);
  return own ? fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: wrongType }) : wrongType;
}
