import { readFileSync } from 'node:fs';
import { fromRoot } from '../paths';
import { snapshotOf } from '../contract/snapshot';

export const SPEC_PATH = fromRoot('openapi.yaml');
export const API_PREFIX = '/v1';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
};

export interface OperationInfo {
  operationId: string;
  method: (typeof METHODS)[number];
  /** Spec path, e.g. `/projects/{project_id}`. */
  path: string;
  /** Express path under the API prefix, e.g. `/v1/projects/:project_id`. */
  route: string;
  /** Declares the `Idempotency-Key` header parameter. */
  idempotent: boolean;
  /** Declares the `If-Match` header parameter: its read-compare-write must be atomic. */
  conditional: boolean;
  /** The event types it emits (`x-events`), each one of the document's `webhooks:`. */
  events: string[];
  /** Defines a request body; a body sent to any other operation is not read. */
  requestBody: boolean;
  /**
   * The operation's security requirement (its own, else the document's): alternatives, any one of
   * which suffices; each maps scheme names to the scopes they need. Empty: no authentication.
   */
  security: Record<string, string[]>[];
}

const IDEMPOTENCY_KEY_REF = '#/components/parameters/IdempotencyKey';
const IF_MATCH_REF = '#/components/parameters/IfMatch';

export class SpecError extends Error {
  constructor(message: string) {
    super(`openapi.yaml: ${message}`);
    this.name = 'SpecError';
  }
}

// Required on first use: with the build's snapshot, the service never loads the YAML parser.
const parseYaml = (text: string): unknown => (require('yaml') as typeof import('yaml')).parse(text);

/** Parses the contract; throws SpecError for anything that would only fail at request time. */
export function loadSpec(path = SPEC_PATH): OpenApiDocument {
  let doc: OpenApiDocument;
  try {
    const text = readFileSync(path, 'utf8');
    doc = (snapshotOf(text) ?? parseYaml(text)) as OpenApiDocument;
  } catch (err) {
    throw new SpecError(`cannot be read or parsed: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !/^3\.1\.\d+$/.test(String(doc.openapi))) {
    throw new SpecError('is not an OpenAPI 3.1 document');
  }
  if (!doc.paths || typeof doc.paths !== 'object') throw new SpecError('has no paths');
  listOperations(doc);
  return doc;
}

export function listOperations(doc: OpenApiDocument): OperationInfo[] {
  const seen = new Set<string>();
  const ops: OperationInfo[] = [];
  const documentSecurity = (doc.security ?? []) as Record<string, string[]>[];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as
        | {
            operationId?: unknown;
            parameters?: { $ref?: string }[];
            security?: Record<string, string[]>[];
            requestBody?: unknown;
            'x-events'?: unknown;
          }
        | undefined;
      if (!op) continue;
      if (typeof op.operationId !== 'string' || !op.operationId) {
        throw new SpecError(`${method.toUpperCase()} ${path} has no operationId`);
      }
      if (seen.has(op.operationId)) throw new SpecError(`operationId ${op.operationId} is used twice`);
      seen.add(op.operationId);
      ops.push({
        operationId: op.operationId,
        method,
        path,
        route: API_PREFIX + path.replace(/\{([^}]+)\}/g, ':$1'),
        idempotent: (op.parameters ?? []).some((p) => p.$ref === IDEMPOTENCY_KEY_REF),
        conditional: (op.parameters ?? []).some((p) => p.$ref === IF_MATCH_REF),
        events: eventsOf(op['x-events'], doc, `${method.toUpperCase()} ${path}`),
        requestBody: op.requestBody !== undefined,
        security: enforced(op.security ?? documentSecurity),
      });
    }
  }
  return ops;
}

/** `x-events`: a list of event types the document's `webhooks:` map describes; SpecError otherwise. */
function eventsOf(declared: unknown, doc: OpenApiDocument, where: string): string[] {
  if (declared === undefined) return [];
  const described = (doc.webhooks ?? {}) as Record<string, unknown>;
  if (!Array.isArray(declared) || !declared.every((t) => typeof t === 'string' && t in described)) {
    throw new SpecError(`${where}: x-events must list event types of the webhooks: map, got ${JSON.stringify(declared)}`);
  }
  return declared;
}

/** An empty object among the alternatives makes authentication optional: nothing to enforce. */
const enforced = (required: Record<string, string[]>[]) =>
  required.some((alt) => Object.keys(alt).length === 0) ? [] : required;

const isHandler = (h: unknown, operationId: string) =>
  typeof (h as { run?: unknown })?.run === 'function' && (h as { operationId?: unknown }).operationId === operationId;

/** Every operation has a handler and every handler an operation; otherwise refuse to start. */
export function checkHandlers(ops: OperationInfo[], handlers: Record<string, unknown>): void {
  const missing = ops.filter((o) => !isHandler(handlers[o.operationId], o.operationId)).map((o) => o.operationId);
  const ids = new Set(ops.map((o) => o.operationId));
  const extra = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length) throw new SpecError(`no handler for operation(s): ${missing.join(', ')}`);
  if (extra.length) throw new SpecError(`handler(s) without an operation: ${extra.join(', ')}`);
}
