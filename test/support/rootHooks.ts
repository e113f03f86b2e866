import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'mocha';
import { loadSpec } from '../../src/contract/document';
import { coverageReport, summaryLine } from '../../src/contract/coverage';
import { observed, takeViolations, type Violation } from './contractCheck';
import { ENGINE, engineHooks } from './engine';

// The PostgreSQL pass runs the HTTP suite only: it writes a file of its own, so that the gate
// (npm run check:coverage) reads the full suite's observations, never the smaller set.
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
export const COVERAGE_FILE = join(ARTIFACTS, ENGINE === 'sqlite' ? 'contract-coverage.json' : `contract-coverage.${ENGINE}.json`);

const describe = (vs: Violation[]) =>
  'response(s) not matching the strict contract:\n' + vs.map((v) => `  ${v.request} -> ${v.status}: ${v.problem}`).join('\n');

/**
 * Registered in .mocharc.json: contract violations fail the test that caused them; coverage is
 * written at the end; the engine of the pass opens and removes the run's database and Redis keys.
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
    const report = coverageReport(loadSpec(), observed);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(COVERAGE_FILE, JSON.stringify(report, null, 2) + '\n');
    console.log(`\n  ${summaryLine(report)} (${ENGINE})`);
    const left = takeViolations();
    if (left.length) throw new Error(describe(left));
  },
};
