import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'mocha';
import { Redis } from 'ioredis';
import { loadSpec } from '../../src/contract/document';
import { coverageReport, summaryLine } from '../../src/contract/coverage';
import { observed, takeViolations, type Violation } from './contractCheck';
import { ENGINE, engineHooks, onPostgres } from './engine';
import { dropDatabases } from './pgRun';
import { deleteKeys } from './redis';
import { DATABASE_PREFIX, processTag, testRunId, runRedisPrefix } from './testRun';

// The PostgreSQL pass runs the HTTP suite only: it writes a file of its own, so that the gate
// (npm run check:coverage) reads the full suite's observations, never the smaller set.
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
export const COVERAGE_FILE = join(ARTIFACTS, ENGINE === 'sqlite' ? 'contract-coverage.json' : `contract-coverage.${ENGINE}.json`);
// Each process of the run (the serial run's, or each --parallel worker) writes what it observed
// here; the global teardown, in the main process, adds them up into COVERAGE_FILE.
const OBSERVED_DIR = join(ARTIFACTS, `observed-${testRunId()}`);

const describe = (vs: Violation[]) =>
  'response(s) not matching the strict contract:\n' + vs.map((v) => `  ${v.request} -> ${v.status}: ${v.problem}`).join('\n');

/**
 * Registered in .mocharc.json: contract violations fail the test that caused them; the engine of
 * the pass opens the process's database and Redis client. With --parallel, beforeAll and afterAll
 * run around each file in its worker; without, around the whole run.
 */
export const mochaHooks = {
  beforeAll: engineHooks.beforeAll,
  beforeEach: engineHooks.beforeEach,
  async afterEach(this: Context) {
    const found = takeViolations();
    // Hook#error fails the current test, not the hook, so the run goes on with the next test.
    if (found.length) (this.test as unknown as { error(e: Error): void }).error(new Error(describe(found)));
    await engineHooks.afterEach();
  },
  async afterAll() {
    await engineHooks.afterAll();
    // The process's observations so far (they only grow), rewritten after each of its files.
    mkdirSync(OBSERVED_DIR, { recursive: true });
    writeFileSync(join(OBSERVED_DIR, `${processTag}.json`), JSON.stringify([...observed]));
    const left = takeViolations();
    if (left.length) throw new Error(describe(left));
  },
};

/**
 * Once, in mocha's main process, after every worker has finished: the coverage report of the
 * whole run, and on the PostgreSQL pass the run's databases and Redis keys removed.
 */
export async function mochaGlobalTeardown() {
  const total = new Map<string, number>();
  const files = existsSync(OBSERVED_DIR) ? readdirSync(OBSERVED_DIR).filter((name) => name.endsWith('.json')) : [];
  for (const name of files) {
    for (const [pair, n] of JSON.parse(readFileSync(join(OBSERVED_DIR, name), 'utf8')) as [string, number][]) {
      total.set(pair, (total.get(pair) ?? 0) + n);
    }
  }
  rmSync(OBSERVED_DIR, { recursive: true, force: true });
  const report = coverageReport(loadSpec(), total);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(COVERAGE_FILE, JSON.stringify(report, null, 2) + '\n');
  console.log(`\n  ${summaryLine(report)} (${ENGINE})`);
  if (!onPostgres) return;
  const dropped = await dropDatabases(process.env.DATABASE_URL!, `${DATABASE_PREFIX}${testRunId()}_`);
  console.log(`  PostgreSQL: the run's ${dropped} database(s) dropped`);
  if (process.env.REDIS_URL) {
    const admin = new Redis(process.env.REDIS_URL);
    await deleteKeys(admin, runRedisPrefix());
    admin.disconnect();
  }
}
