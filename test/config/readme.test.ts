import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOOLEAN_WORDS, ConfigError, loadConfig, RULES } from '../../src/config';

// A range changed in RULES fails here until the README's configuration table says the same.

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function configurationSection(): string {
  const start = README.indexOf('\n## Configuration\n');
  assert.ok(start >= 0, 'README has a Configuration section');
  return README.slice(start, README.indexOf('\n## ', start + 1));
}

/** Each variable named in a row's first cell -> that row's `accepts` cell. */
function acceptsCells(section: string): Map<string, string> {
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  const column = rows[0].split('|').map((c) => c.trim()).indexOf('accepts');
  assert.ok(column > 0, 'the table has an accepts column');
  const cells = new Map<string, string>();
  for (const row of rows.slice(2)) {
    const cell = row.split('|')[column].trim();
    for (const [, name] of row.split('|')[1].matchAll(/`([A-Z0-9_]+)`/g)) cells.set(name, cell);
  }
  return cells;
}

const plain = (cell: string) => cell.replace(/`/g, '');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const range = (min: number, max: number) => new RegExp(`(^|[^\\d.])${escape(String(min))} to ${escape(String(max))}([^\\d.]|$)`);

/** The variables loadConfig reads, whether or not they are set. */
function variablesRead(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return [...read].sort();
}

/** What another variable must be for this one's own bounds to be reachable. */
const COMPANIONS: Record<string, Record<string, string>> = {
  WEBHOOK_CONCURRENCY: { WEBHOOK_ENDPOINT_CONCURRENCY: '1' },
  WEBHOOK_ENDPOINT_CONCURRENCY: { WEBHOOK_CONCURRENCY: '1024' },
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: { REFRESH_TOKEN_IDLE_TTL_SECONDS: '60' },
  OTEL_BSP_MAX_QUEUE_SIZE: { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1' },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: { OTEL_BSP_MAX_QUEUE_SIZE: '1000000' },
  OTEL_TRACES_SAMPLER_ARG: { OTEL_TRACES_SAMPLER: 'traceidratio' },
};

function refusedBy(name: string, env: Record<string, string>): boolean {
  try {
    loadConfig(env);
    return false;
  } catch (err) {
    return err instanceof ConfigError && err.variable === name;
  }
}

describe('config: the README states what start-up accepts', () => {
  const section = configurationSection();
  const cells = acceptsCells(section);

  it('every variable loadConfig reads has a rule in RULES and a row in the README table', () => {
    assert.deepEqual(variablesRead(), Object.keys(RULES).sort());
    for (const name of Object.keys(RULES)) assert.ok(cells.get(name), `README: no accepts cell for ${name}`);
  });

  it('numbers and lengths: the row states the kind and "min to max"', () => {
    for (const [name, rule] of Object.entries(RULES)) {
      if (!('min' in rule)) continue;
      const cell = plain(cells.get(name)!);
      assert.match(cell, range(rule.min, rule.max), `README ${name}: ${rule.min} to ${rule.max}`);
      assert.ok(cell.startsWith(rule.kind === 'characters' ? `${rule.min} to ${rule.max} printable` : rule.kind), `README ${name} is ${rule.kind}: ${cell}`);
    }
  });

  it('choices: exactly the accepted values; booleans: true or false, with every spelling before the table', () => {
    for (const [name, rule] of Object.entries(RULES)) {
      const cell = cells.get(name)!;
      if (rule.kind === 'choice') {
        const listed = cell.replace(/\(.*\)/, '').match(/`[^`]+`/g)?.map((v) => v.slice(1, -1));
        assert.deepEqual(new Set(listed), new Set(rule.values), `README ${name}`);
      }
      if (rule.kind === 'boolean') assert.equal(cell, '`true` or `false`', `README ${name}`);
    }
    const intro = section.slice(0, section.indexOf('\n|'));
    BOOLEAN_WORDS.true.forEach((yes, i) => assert.ok(intro.includes(`\`${yes}\`/\`${BOOLEAN_WORDS.false[i]}\``), `${yes}/${BOOLEAN_WORDS.false[i]}`));
  });

  it('formats: the row says what the error message says', () => {
    for (const [name, rule] of Object.entries(RULES)) {
      if (rule.kind === 'format') assert.ok(plain(cells.get(name)!).includes(rule.accepts), `README ${name}: ${rule.accepts}`);
    }
  });

  it('the stated bounds are the enforced ones: min and max accepted, one step beyond refused by name', () => {
    for (const [name, rule] of Object.entries(RULES)) {
      if (rule.kind !== 'integer' && rule.kind !== 'decimal') continue;
      const step = rule.kind === 'integer' ? 1 : (rule.min || rule.max) / 10;
      const env = (value: number) => ({ ...COMPANIONS[name], [name]: String(value) });
      assert.doesNotThrow(() => loadConfig(env(rule.min)), `${name}=${rule.min}`);
      assert.doesNotThrow(() => loadConfig(env(rule.max)), `${name}=${rule.max}`);
      assert.ok(refusedBy(name, env(rule.min - step)), `${name}=${rule.min - step} is refused`);
      assert.ok(refusedBy(name, env(rule.max + step)), `${name}=${rule.max + step} is refused`);
    }
    const { min, max } = RULES.METRICS_TOKEN;
    for (const length of [min, max]) assert.doesNotThrow(() => loadConfig({ METRICS_TOKEN: 'x'.repeat(length) }));
    for (const length of [min - 1, max + 1]) assert.ok(refusedBy('METRICS_TOKEN', { METRICS_TOKEN: 'x'.repeat(length) }));
    const schedule = (n: number, each: number) => ({ WEBHOOK_RETRY_SCHEDULE: Array(n).fill(each).join(',') });
    assert.doesNotThrow(() => loadConfig(schedule(50, 604800)), 'WEBHOOK_RETRY_SCHEDULE: 50 of 604800');
    assert.ok(refusedBy('WEBHOOK_RETRY_SCHEDULE', schedule(51, 1)));
    assert.ok(refusedBy('WEBHOOK_RETRY_SCHEDULE', schedule(1, 604801)));
  });
});
