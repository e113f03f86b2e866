import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'mocha';
import { loadSpec } from '../../src/http/spec';
import { coverageReport, summaryLine } from '../../src/contract/coverage';
import { observed, takeViolations, type Violation } from './contractCheck';

export const COVERAGE_FILE = join(__dirname, '..', '..', 'test-artifacts', 'contract-coverage.json');

const describe = (vs: Violation[]) =>
  'response(s) not matching the strict contract:\n' + vs.map((v) => `  ${v.request} -> ${v.status}: ${v.problem}`).join('\n');

/** Registered in .mocharc.json: contract violations fail the test that caused them; coverage is written at the end. */
export const mochaHooks = {
  afterEach(this: Context) {
    const found = takeViolations();
    // Hook#error fails the current test, not the hook, so the run goes on with the next test.
    if (found.length) (this.test as unknown as { error(e: Error): void }).error(new Error(describe(found)));
  },
  afterAll() {
    const report = coverageReport(loadSpec(), observed);
    mkdirSync(join(COVERAGE_FILE, '..'), { recursive: true });
    writeFileSync(COVERAGE_FILE, JSON.stringify(report, null, 2) + '\n');
    console.log(`\n  ${summaryLine(report)}`);
    const left = takeViolations();
    if (left.length) throw new Error(describe(left));
  },
};
