import type { Request, Response } from 'express';
import type { Operation } from '../contract/operations';
import type { Principal } from '../auth/principal';
import type { Deprecation } from '../contract/deprecations';
import type { RateLimitPolicy } from '../contract/rateLimits';
import type { LimitState } from '../http/rateLimit/limiter';

/** What every request carries from the moment it arrives: API, docs and health alike. */
export interface RequestContext {
  readonly req: Request;
  readonly res: Response;
  readonly requestId: string;
  /** process.hrtime.bigint() at arrival, for the access log. */
  readonly started: bigint;
  /** The contract operation, once matched (API requests only). */
  op?: Operation;
  /** The authenticated caller, when the request carried valid credentials for a secured operation. */
  principal?: Principal;
  /** The catalogue code of the error answered (the trace's `error.type`). */
  errorCode?: string;
  /** The request's server span as a W3C traceparent, when traced and sampled: its events keep it, their deliveries link to it. */
  traceparent?: string;
}

/** A rate-limit policy with the caller's state in it after this request was counted. */
export interface CountedPolicy {
  policy: RateLimitPolicy;
  state: LimitState;
}

/** The request of one contract operation, as it goes through that operation's steps. */
export interface OperationContext extends RequestContext {
  readonly op: Operation;
  /**
   * Why the presented credentials were refused. Authentication runs before the rate limits (they
   * count per caller), the refusal is reported by `authorize`, after them.
   */
  authFailure?: unknown;
  /** Between the two rate-limit phases: the tightest policy (for the headers) and an exceeded one whose 429 waits. */
  limits: { tightest?: CountedPolicy; deferred?: CountedPolicy };
  /** Path parameters, decoded and checked by the validator. */
  params: Record<string, string>;
  /** Headers every response to this request carries (a deprecated operation or parameter). */
  deprecation?: Deprecation;
  /** Its transaction wrote events or queued deliveries: the delivery worker is woken once it commits. */
  queuedDeliveries?: boolean;
}

/** One step of an operation's pipeline: it returns to go on, or throws to answer with an error. */
export type Step = (ctx: OperationContext) => void | Promise<void>;

export interface NamedStep {
  name: string;
  run: Step;
}
