// The one place that reads what the contract says of its operations: the facts of each (listOperations)
// and, for the service, each compiled with what it needs at request time (compileOperations): its
// limits, its deprecation, the headers a browser may send it. The entry, the pipelines, CORS and
// the tests' contract check all work from this table.
import { API_PREFIX, SpecError, type OpenApiDocument } from './document';
import { readRateLimits, scaleLimits, type RateLimitPolicy } from './rateLimits';
import { readDeprecations, type OperationDeprecations } from './deprecations';
import { requestHeadersOf } from './headers';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

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
  /**
   * Runs its handler in one transaction: it takes an Idempotency-Key (the change and the stored
   * response commit together), an If-Match (the read-compare-write is atomic) or emits events
   * (they commit with the change). Handlers see the same fact in their types
   * (`TransactionalOperation`, generated from this rule).
   */
  transactional: boolean;
}

const IDEMPOTENCY_KEY_REF = '#/components/parameters/IdempotencyKey';
const IF_MATCH_REF = '#/components/parameters/IfMatch';

/** What the contract says of each operation, read as it is written (no configuration applied). */
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
      const facts = {
        operationId: op.operationId,
        method,
        path,
        route: API_PREFIX + path.replace(/\{([^}]+)\}/g, ':$1'),
        idempotent: (op.parameters ?? []).some((p) => p.$ref === IDEMPOTENCY_KEY_REF),
        conditional: (op.parameters ?? []).some((p) => p.$ref === IF_MATCH_REF),
        events: eventsOf(op['x-events'], doc, `${method.toUpperCase()} ${path}`),
        requestBody: op.requestBody !== undefined,
        security: enforced(op.security ?? documentSecurity),
      };
      ops.push({ ...facts, transactional: isTransactional(facts) });
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

/** The contract's rule for running in a transaction (scripts/contract/operationFacts.ts generates its type from the same rule). */
export const isTransactional = (op: Pick<OperationInfo, 'idempotent' | 'conditional' | 'events'>): boolean =>
  op.idempotent || op.conditional || op.events.length > 0;

/** An operation as the service runs it: the contract's facts with this deployment's settings applied. */
export interface Operation extends OperationInfo {
  /** Its rate limits (its own `x-rate-limit`, else the document's default), scaled by RATE_LIMIT_MULTIPLIER. */
  limits: RateLimitPolicy[];
  /** What it, or any of its parameters, declares deprecated; absent when nothing is. */
  deprecation?: OperationDeprecations;
  /** The request headers a client may send it, for CORS preflights. */
  requestHeaders: string[];
}

export interface OperationSettings {
  rateLimitMultiplier: number;
  /** The deployment's base URL: deprecation links point at its /docs. */
  publicUrl: string;
}

/** Every operation of the contract, compiled once at start; SpecError for a malformed extension. */
export function compileOperations(doc: OpenApiDocument, settings: OperationSettings): Operation[] {
  const ops = listOperations(doc);
  const limits = scaleLimits(readRateLimits(doc, ops), settings.rateLimitMultiplier);
  const deprecations = readDeprecations(doc, ops, settings.publicUrl);
  return ops.map((op) => ({
    ...op,
    limits: limits.get(op.operationId) ?? [],
    deprecation: deprecations.get(op.operationId),
    requestHeaders: requestHeadersOf(doc, op),
  }));
}
