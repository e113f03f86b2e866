import { listOperations } from './operations';
import { type OpenApiDocument } from './document';

/** `operationId status`, e.g. `createProject 409`: one documented response of one operation. */
export type Pair = string;

/** Every (operation, documented status) pair of the contract, in document order. */
export function documentedPairs(doc: OpenApiDocument): Pair[] {
  return listOperations(doc).flatMap((op) => {
    const responses = (doc.paths[op.path][op.method] as { responses?: Record<string, unknown> }).responses ?? {};
    return Object.keys(responses).map((status) => `${op.operationId} ${status}`);
  });
}

export interface CoverageReport {
  documented: number;
  covered: number;
  percent: number;
  /** Documented pairs with the number of conforming responses the suite observed for each. */
  pairs: { pair: Pair; responses: number }[];
  missing: Pair[];
}

export function coverageReport(doc: OpenApiDocument, observed: Map<Pair, number>): CoverageReport {
  const pairs = documentedPairs(doc).map((pair) => ({ pair, responses: observed.get(pair) ?? 0 }));
  const missing = pairs.filter((p) => p.responses === 0).map((p) => p.pair);
  const covered = pairs.length - missing.length;
  const percent = pairs.length ? Math.floor((covered / pairs.length) * 1000) / 10 : 100;
  return { documented: pairs.length, covered, percent, pairs, missing };
}

export const summaryLine = (r: CoverageReport) =>
  `contract coverage: ${r.covered}/${r.documented} (operation, status) pairs observed (${r.percent}%)` +
  (r.missing.length ? `; not observed: ${r.missing.slice(0, 20).join(', ')}${r.missing.length > 20 ? ` and ${r.missing.length - 20} more` : ''}` : '');
