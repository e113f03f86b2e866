import type { Request, RequestHandler } from 'express';
import type { RateLimitPolicy } from './policies';
import type { Limiter, LimitState } from './limiter';
import { operationOf } from '../operationMatcher';
import { principalOf } from '../security';
import { principalId } from '../../auth/principal';
import { errors } from '../../errors';

/** The caller a policy counts: undefined skips the policy (an `account` policy without an email). */
function partitionKey(policy: RateLimitPolicy, req: Request): string | undefined {
  if (policy.by === 'account') {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? `account:${email.toLowerCase()}` : undefined;
  }
  const principal = policy.by === 'principal' ? principalOf(req) : undefined;
  return principal ? `principal:${principalId(principal)}` : `ip:${req.ip}`;
}

const policyItem = (p: RateLimitPolicy) => `"${p.group}";q=${p.limit};w=${p.window}`;

type Shown = { policy: RateLimitPolicy; state: LimitState };

// What the first phase found, for the second: the tightest policy for the headers, and an
// exceeded one whose 429 waits for the account policies.
const SHOWN = Symbol('rateLimitShown');
const DEFERRED = Symbol('rateLimitDeferred');
type Locals = Record<typeof SHOWN | typeof DEFERRED, Shown | undefined>;

/**
 * Enforces the operation's limits from the contract and reports them in the IETF draft headers
 * (`RateLimit-Policy`, `RateLimit`) and the older `X-RateLimit-*` ones. The headers describe the
 * tightest policy; a 429 names the exceeded policy that resets last.
 *
 * Two phases, for one set of headers: `caller` (per principal or IP) runs before the body is
 * parsed, so malformed or oversized bodies use up the budget like any request; `account` needs
 * the parsed body's email and runs after. Where an operation has account policies, a `caller`
 * 429 waits for them, so that its Retry-After covers every exceeded policy.
 */
export function rateLimit(
  limits: Map<string, RateLimitPolicy[]>,
  limiter: Limiter,
  phase: 'caller' | 'account',
  now = Date.now,
): RequestHandler {
  const inPhase = (p: RateLimitPolicy) => (p.by === 'account') === (phase === 'account');
  const phased = new Map([...limits].map(([id, ps]) => [id, ps.filter(inPhase)]));
  return async (req, res, next) => {
    const op = operationOf(res);
    const mine = op ? (phased.get(op.operationId) ?? []) : [];
    const locals = res.locals as Locals;
    if (mine.length === 0 && !locals[DEFERRED]) return next();
    const policies = op ? (limits.get(op.operationId) ?? []) : [];
    let tightest = locals[SHOWN];
    let exceeded = locals[DEFERRED];
    for (const policy of mine) {
      const key = partitionKey(policy, req);
      if (key === undefined) continue;
      const state = await limiter.consume(policy, key);
      // Of several exceeded policies, report the one that resets last: waiting its Retry-After is enough for all.
      if (!state.allowed && (!exceeded || state.resetMs > exceeded.state.resetMs)) exceeded = { policy, state };
      if (!tightest || state.remaining < tightest.state.remaining) tightest = { policy, state };
    }
    if (!tightest) return next();
    locals[SHOWN] = tightest;
    const defer = phase === 'caller' && policies.some((p) => p.by === 'account');
    if (exceeded && defer) locals[DEFERRED] = exceeded;
    const shown = exceeded ?? tightest;
    // Rounded up: a client that waits this long is never refused for being early.
    const resetSeconds = Math.max(1, Math.ceil(shown.state.resetMs / 1000));
    res.set({
      'RateLimit-Policy': policies.map(policyItem).join(', '),
      RateLimit: `"${shown.policy.group}";r=${shown.state.remaining};t=${resetSeconds}`,
      'X-RateLimit-Limit': String(shown.policy.limit),
      'X-RateLimit-Remaining': String(shown.state.remaining),
      'X-RateLimit-Reset': String(Math.ceil((now() + shown.state.resetMs) / 1000)),
    });
    if (exceeded && !defer) return next(errors.rateLimited(exceeded.policy, resetSeconds));
    next();
  };
}
