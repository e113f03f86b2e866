// The strict check of a response against the contract: the one used by the service in development
// and tests (the sender asks it before writing) and by the test suite's recorder of every response
// (test/support/contractCheck.ts). Strict: no undeclared property, no enum value this version does
// not know (src/contract/strict.ts), every required header, each header's schema.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './document';
import { listOperations } from './operations';
import { strictContract } from './strict';
import { instantFormats } from './formats';

/** A response as the check sees it, whoever wrote it. */
export interface ResponseFacts {
  status: number;
  method: string;
  header(name: string): unknown;
  /** `type` absent: no body. `problem`: the body could not be read as its type says (not JSON). */
  body: { type?: string; value?: unknown; problem?: string };
  /** Documented headers not to check (lower case): a test of an answer given before they could be set. */
  unchecked?: ReadonlySet<string>;
}

export interface ResponseCheck {
  /** What is wrong with a response of `operationId`, or undefined when it conforms. */
  problem(operationId: string, res: ResponseFacts): string | undefined;
  /** Whether the operation documents the status (exactly, by its class, or as `default`). */
  documents(operationId: string, status: number): boolean;
  /** What is wrong with an error body outside the operations (not the envelope), or undefined. */
  envelopeProblem(value: unknown): string | undefined;
}

interface HeaderCheck {
  name: string;
  required: boolean;
  integer: boolean;
  validate: () => ValidateFunction;
}

interface Documented {
  media: Map<string, () => ValidateFunction>;
  headers: HeaderCheck[];
}

type DeclaredHeader = { $ref?: string; required?: boolean; schema?: { type?: unknown } };
type DeclaredResponse = { $ref?: string; content?: Record<string, unknown>; headers?: Record<string, DeclaredHeader> };

const DOC_ID = 'contract.json';
const pointerPart = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** A validator compiled on its first use: an app that answers one operation compiles only its schemas. */
function lazily(compile: () => ValidateFunction): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => (compiled ??= compile());
}

/**
 * Compiles the strict form of `doc` for checking responses. Nothing is compiled up front but the
 * document: each schema on the first response that needs it.
 */
export function compileResponseCheck(doc: OpenApiDocument): ResponseCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
  addFormats(ajv);
  for (const [name, format] of Object.entries(instantFormats)) ajv.addFormat(name, format);
  ajv.addSchema(strictContract(doc), DOC_ID);
  const ref = (pointer: string) => lazily(() => ajv.compile({ $ref: `${DOC_ID}#${pointer}` }));
  const components = doc.components as { responses: Record<string, DeclaredResponse>; headers: Record<string, DeclaredHeader> };
  const ops = new Map<string, Map<string, Documented>>();
  for (const info of listOperations(doc)) {
    const op = doc.paths[info.path][info.method] as { responses: Record<string, DeclaredResponse> };
    const responses = new Map<string, Documented>();
    for (const [status, declared] of Object.entries(op.responses)) {
      let pointer = `/paths/${pointerPart(info.path)}/${info.method}/responses/${status}`;
      let response = declared;
      if (declared.$ref) {
        pointer = declared.$ref.slice(1);
        response = components.responses[declared.$ref.split('/').pop()!];
      }
      const media = new Map<string, () => ValidateFunction>();
      for (const type of Object.keys(response.content ?? {})) media.set(type, ref(`${pointer}/content/${pointerPart(type)}/schema`));
      const headers = Object.entries(response.headers ?? {}).map(([name, h]) => {
        const at = h.$ref ? h.$ref.slice(1) : `${pointer}/headers/${pointerPart(name)}`;
        const header = h.$ref ? components.headers[h.$ref.split('/').pop()!] : h;
        return { name: name.toLowerCase(), required: header.required === true, integer: header.schema?.type === 'integer', validate: ref(`${at}/schema`) };
      });
      responses.set(status, { media, headers });
    }
    ops.set(info.operationId, responses);
  }
  const envelope = ref('/components/schemas/ErrorEnvelope');
  const documented = (operationId: string, status: number) => {
    const responses = ops.get(operationId);
    return responses?.get(String(status)) ?? responses?.get(`${String(status)[0]}XX`) ?? responses?.get('default');
  };

  return {
    documents: (operationId, status) => documented(operationId, status) !== undefined,
    envelopeProblem: (value) => (envelope()(value) ? undefined : `not the error envelope: ${describeErrors(envelope())}`),
    problem(operationId, res) {
      const { status, body } = res;
      if (body.problem) return body.problem;
      const found = documented(operationId, status);
      if (!found) return `status ${status} is not documented on ${operationId}`;
      const headerProblem = checkHeaders(found.headers, res);
      if (headerProblem) return headerProblem;
      if (body.type === undefined) {
        return found.media.size > 0 && res.method !== 'HEAD' && status !== 304 ? `no body, but ${status} documents one` : undefined;
      }
      const validate = found.media.get(body.type)?.();
      if (!validate) return `content type ${body.type} is not documented for ${operationId} ${status}`;
      return validate(body.value) ? undefined : `body does not match the strict contract: ${describeErrors(validate)}`;
    },
  };
}

function checkHeaders(headers: HeaderCheck[], res: ResponseFacts): string | undefined {
  for (const h of headers) {
    if (res.unchecked?.has(h.name)) continue;
    const raw = res.header(h.name);
    if (raw === undefined) {
      if (h.required) return `header ${h.name} is required but missing`;
      continue;
    }
    const text = String(raw);
    const value = h.integer && /^-?\d+$/.test(text) ? Number(text) : text;
    const validate = h.validate();
    if (!validate(value)) return `header ${h.name}: ${JSON.stringify(text)} ${describeErrors(validate)}`;
  }
  return undefined;
}

function describeErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}

/** A response of ours that breaks the contract: answered as a 500, logged with what drifted. */
export class ResponseDrift extends Error {
  readonly details: { operation: string; status: number; problem: string }[];
  constructor(operationId: string, status: number, problem: string) {
    super(`the ${status} response of ${operationId} does not match the contract: ${problem}`);
    this.name = 'ResponseDrift';
    this.details = [{ operation: operationId, status, problem }];
  }
}
