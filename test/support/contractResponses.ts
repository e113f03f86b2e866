import type { OpenApiDocument } from '../../src/contract/document';
import { compileResponseCheck } from '../../src/contract/responses';

interface Received {
  status: number;
  body: unknown;
  text?: string;
  headers?: Record<string, unknown>;
}

/**
 * Checks a response a test received itself (from a raw socket, or the whole battery of bad
 * requests) with the contract's own response check (src/contract/responses.ts): the status must
 * be documented on the operation, its documented headers present and valid, and the body must
 * match the strict form of the documented schema (or be absent if none is documented).
 */
export function contractResponses(doc: OpenApiDocument) {
  const check = compileResponseCheck(doc);

  /** Problems with this response of the operation at (path, method), empty when it conforms. */
  function problems(path: string, method: string, res: Received, opts: { head?: boolean; unchecked?: string[] } = {}): string[] {
    const operationId = (doc.paths[path]?.[method] as { operationId?: string } | undefined)?.operationId;
    if (!operationId) return [`no operation ${method.toUpperCase()} ${path}`];
    if (opts.head && res.text) return ['HEAD answered with a body'];
    const type = String(res.headers?.['content-type'] ?? 'application/json').split(';')[0].trim();
    const problem = check.problem(operationId, {
      status: res.status,
      method: opts.head ? 'HEAD' : method.toUpperCase(),
      header: (name) => res.headers?.[name],
      unchecked: new Set(opts.unchecked),
      body: !opts.head && (res.text || (res.text === undefined && res.body !== undefined)) ? { type, value: res.body } : {},
    });
    return problem ? [problem] : [];
  }

  /** The error envelope's problems with `value`, empty when it is one. */
  const envelopeProblems = (value: unknown): string[] => {
    const problem = check.envelopeProblem(value);
    return problem ? [problem] : [];
  };

  return { problems, envelopeProblems };
}
