import type { OpenApiDocument } from '../contract/document';
import type { Operation } from '../contract/operations';
import { BODY_FIELD_OF, isBodyFieldPolicy, type RateLimitPolicy } from '../contract/rateLimits';
import type { Limiter } from '../http/rateLimit/limiter';
import type { PrincipalResolver } from '../auth/resolvePrincipal';
import type { Meter } from '../metering/meter';
import type { AsyncStore } from '../store/ports';
import type { Idempotency } from '../idempotency/idempotency';
import type { AnyHandler, HandlerDeps } from './handler';
import type { Metrics } from '../metrics/metrics';
import type { NamedStep, Step } from './context';
import type { Around } from '../tracing/port';
import { bodyFieldCheck } from '../contract/bodyField';
import { announceDeprecation } from './steps/announceDeprecation';
import { authenticate } from './steps/authenticate';
import { authorize, credentialsOfSchemes } from './steps/authorize';
import { meter } from './steps/meter';
import { limit, type FieldChecks } from './steps/limit';
import { parseBody, requireWellFormedBody } from './steps/parseBody';
import { validateRequests, type ContractValidators } from './steps/validate';
import { handle } from './steps/handle';
import { direct, transactional, type Execute } from './steps/transact';

/** What an operation does with a request: its steps in order, then the handler's execution. */
export interface Pipeline {
  op: Operation;
  steps: NamedStep[];
  /** `handle`, or `transaction+handle` where the contract makes the operation transactional. */
  execution: string;
  execute: Execute;
}

export interface PipelineParts {
  spec: OpenApiDocument;
  /** express-openapi-validator for this contract (built by createApp, or shared by the caller). */
  validators: ContractValidators;
  bodyLimitBytes: number;
  limiter: Limiter;
  resolvePrincipal: PrincipalResolver;
  meter: Meter;
  handlers: Record<string, AnyHandler>;
  handlerDeps: Omit<HandlerDeps, 'store' | 'events'>;
  store: AsyncStore;
  idempotency: Idempotency;
  metrics: Metrics;
  /** With tracing on: the steps that can wait, and the handler's execution, each in a span. */
  around?: Around;
}

// The steps that can wait (on the database, Redis or the client's body), by the name of their span.
const TRACED_STEPS: Record<string, string> = { authenticate: 'authenticate', limitCaller: 'rate limit', parseBody: 'read body', limitBody: 'rate limit' };

/** `run` in a span when tracing is on and the step is one that can wait; `run` itself otherwise. */
function traced(around: Around | undefined, name: string, run: Step): Step {
  const span = around && TRACED_STEPS[name];
  return span ? (ctx) => around(span, async () => run(ctx)) : run;
}

/** The contract's check of each body field an operation's limits count by (`email`, `token`). */
const fieldChecks = (spec: OpenApiDocument, op: Operation, policies: RateLimitPolicy[]): FieldChecks =>
  Object.fromEntries(policies.flatMap((p) => (isBodyFieldPolicy(p.by) ? [[p.by, bodyFieldCheck(spec, op, BODY_FIELD_OF[p.by])]] : [])));

/**
 * Builds, at start-up, each operation's ordered steps from what the contract declares for it:
 * deprecation, security (authenticate, meter, authorize), rate limits (per caller before the body
 * is read, per account or token after), a request body (parse, well-formed Unicode), then validation for
 * every request and the handler, in a transaction where the operation takes an Idempotency-Key
 * or an If-Match or emits events. A step the contract does not ask for is not there at all.
 */
export function buildPipelines(ops: Operation[], parts: PipelineParts): Map<string, Pipeline> {
  const kinds = credentialsOfSchemes(parts.spec);
  // One validator for every operation: it compiles each operation's schemas once, on first use.
  const requests = validateRequests(parts.validators);
  const body = parseBody(parts.bodyLimitBytes);
  const limitHooks = { refused: (op: string, policy: RateLimitPolicy) => parts.metrics.rateLimited(op, policy) };
  return new Map(
    ops.map((op) => {
      const { limits: policies, deprecation: deprecated } = op;
      const secured = op.security.length > 0;
      const candidates: [string, Step | undefined][] = [
        ['announceDeprecation', deprecated && announceDeprecation(deprecated)],
        ['authenticate', secured ? authenticate(parts.resolvePrincipal) : undefined],
        ['meter', secured ? meter(parts.meter) : undefined],
        ['limitCaller', limit(policies, parts.limiter, 'caller', limitHooks)],
        ['parseBody', op.requestBody ? body : undefined],
        ['limitBody', limit(policies, parts.limiter, 'body', { ...limitHooks, fields: fieldChecks(parts.spec, op, policies) })],
        ['authorize', authorize(op, kinds)],
        ['requireWellFormedBody', op.requestBody ? requireWellFormedBody : undefined],
        ['validateRequest', requests],
      ];
      const steps = candidates.flatMap(([name, run]) => (run ? [{ name, run: traced(parts.around, name, run) }] : []));
      const handled = handle(parts.handlers[op.operationId], parts.handlerDeps);
      const executeUntraced = op.transactional
        ? transactional(handled, parts.store, parts.idempotency, { wake: parts.handlerDeps.webhooks.wake, replayed: parts.metrics.replayed })
        : direct(handled, parts.store);
      const { around } = parts;
      const span = op.transactional ? 'transaction' : 'handle';
      const execute: Execute = around ? (ctx) => around(span, () => executeUntraced(ctx)) : executeUntraced;
      const pipeline: Pipeline = { op, steps, execution: op.transactional ? 'transaction+handle' : 'handle', execute };
      return [op.operationId, pipeline];
    }),
  );
}
