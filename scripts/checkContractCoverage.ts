// Fails unless every (operation, documented status) pair of openapi.yaml was observed by the last
// `npm test` (test-artifacts/contract-coverage.json) or is listed, with a reason, in
// test/contract-coverage-exceptions.yaml. A listed pair that is observed or no longer documented
// fails too, so the list cannot go stale.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSpec } from '../src/contract/document';
import { coverageReport, documentedPairs, type CoverageReport } from '../src/contract/coverage';

const root = join(__dirname, '..');
const ARTIFACT = join(root, 'test-artifacts', 'contract-coverage.json');
const EXCEPTIONS = join(root, 'test', 'contract-coverage-exceptions.yaml');

function main(): number {
  if (!existsSync(ARTIFACT)) {
    console.error(`${ARTIFACT} is missing: run \`npm test\` first.`);
    return 1;
  }
  const recorded = JSON.parse(readFileSync(ARTIFACT, 'utf8')) as CoverageReport;
  const observed = new Map(recorded.pairs.map((p) => [p.pair, p.responses]));
  const spec = loadSpec();
  const report = coverageReport(spec, observed);
  const listed = (parse(readFileSync(EXCEPTIONS, 'utf8')) ?? []) as { pair?: string; reason?: string }[];
  const documented = new Set(documentedPairs(spec));
  const problems: string[] = [];
  const excused = new Set<string>();
  for (const e of listed) {
    if (!e.pair || !e.reason?.trim()) problems.push(`exception without a pair and a reason: ${JSON.stringify(e)}`);
    else if (!documented.has(e.pair)) problems.push(`exception for a pair openapi.yaml does not document: ${e.pair}`);
    else if (excused.has(e.pair)) problems.push(`exception listed twice: ${e.pair}`);
    else if ((observed.get(e.pair) ?? 0) > 0) problems.push(`exception for a pair the tests now exercise (remove it): ${e.pair}`);
    else excused.add(e.pair);
  }
  for (const pair of report.missing) if (!excused.has(pair)) problems.push(`not exercised by any test: ${pair}`);
  console.log(
    `contract coverage: ${report.covered}/${report.documented} (operation, status) pairs observed (${report.percent}%), ` +
      `${excused.size} excused in ${EXCEPTIONS.slice(root.length + 1)}`,
  );
  for (const p of problems) console.error(`  ${p}`);
  return problems.length ? 1 : 0;
}

process.exit(main());
