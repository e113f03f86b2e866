import { createHash } from 'node:crypto';
import { BODY_FIELD_OF, isBodyFieldPolicy, type BodyFieldPolicy, type RateLimitPolicy } from '../../contract/rateLimits';
import type { Limiter } from '../../http/rateLimit/limiter';
import type { CountedPolicy, OperationContext, Step } from '../context';
import { principalId } from '../../auth/principal';
import { errors } from '../../errors';

/** Whether a body field (`email`, `token`) holds a value the contract accepts (checked before the body's validation). */
export type FieldCheck = (value: unknown) => boolean;
export type FieldChecks = Partial<Record<BodyFieldPolicy, FieldCheck>>;

/**
 * The caller a policy counts: undefined skips the policy. A policy by a body field (`account`: the
 * email; `token`: an invitation token) counts only a value the contract accepts, by a fixed-size
 * digest of its normalised form: nothing of an unvalidated body becomes a key (the request is a
 * 400 then, counted against the caller's IP alone).
 */
function partitionKey(policy: RateLimitPolicy, ctx: OperationContext, checks: FieldChecks): string | undefined {
  if (isBodyFieldPolicy(policy.by)) {
    const value = (ctx.req.body as Record<string, unknown> | undefined)?.[BODY_FIELD_OF[policy.by]];
    if (!checks[policy.by]?.(value)) return undefined;
    const normalised = policy.by === 'account' ? (value as string).toLowerCase() : (value as string);
    return `${policy.by}:${createHash('sha256').update(normalised).digest('base64url')}`;
  }
  const principal = policy.by === 'principal' ? ctx.principal : undefined;
  return principal ? `principal:${principalId(principal)}` : `ip:${ctx.req.ip}`;
}

const policyItem = (p: RateLimitPolicy) => `"${p.group}";q=${p.limit};w=${p.window}`;

/**
 * Enforces the operation's limits from the contract and reports them in the IETF draft headers
 * (`RateLimit-Policy`, `RateLimit`) and the older `X-RateLimit-*` ones. The headers describe the
 * tightest policy; a 429 names the exceeded policy that resets last.
 *
 * Two phases, for one set of headers: `caller` (per principal or IP) runs before the body is
 * parsed, so malformed or oversized bodies use up the budget like any request; `body` (per
 * account or token) needs the parsed body and runs after. Where an operation has body policies, a
 * `caller` 429 waits for them, so that its Retry-After covers every exceeded policy. Undefined
 * where the operation has no policy of the phase.
 */
export function limit(
  policies: RateLimitPolicy[],
  limiter: Limiter,
  phase: 'caller' | 'body',
  opts: { now?: () => number; refused?: (operationId: string, policy: RateLimitPolicy) => void; fields?: FieldChecks } = {},
): Step | undefined {
  const now = opts.now ?? Date.now;
  const mine = policies.filter((p) => isBodyFieldPolicy(p.by) === (phase === 'body'));
  if (!mine.length) return undefined;
  const defer = phase === 'caller' && policies.some((p) => isBodyFieldPolicy(p.by));
  const header = policies.map(policyItem).join(', ');
  return async (ctx) => {
    let { tightest, deferred: exceeded } = ctx.limits;
    for (const policy of mine) {
      const key = partitionKey(policy, ctx, opts.fields ?? {});
      if (key === undefined) continue;
      const state = await limiter.consume(policy, key);
      // Of several exceeded policies, report the one that resets last: waiting its Retry-After is enough for all.
      if (!state.allowed && (!exceeded || state.resetMs > exceeded.state.resetMs)) exceeded = { policy, state };
      if (!tightest || state.remaining < tightest.state.remaining) tightest = { policy, state };
    }
    if (!tightest) return;
    ctx.limits.tightest = tightest;
    if (exceeded && defer) ctx.limits.deferred = exceeded;
    const shown: CountedPolicy = exceeded ?? tightest;
    // Rounded up: a client that waits this long is never refused for being early.
    const resetSeconds = Math.max(1, Math.ceil(shown.state.resetMs / 1000));
    ctx.res.set({
      'RateLimit-Policy': header,
      RateLimit: `"${shown.policy.group}";r=${shown.state.remaining};t=${resetSeconds}`,
      'X-RateLimit-Limit': String(shown.policy.limit),
      'X-RateLimit-Remaining': String(shown.state.remaining),
      'X-RateLimit-Reset': String(Math.ceil((now() + shown.state.resetMs) / 1000)),
    });
    if (exceeded && !defer) {
      opts.refused?.(ctx.op.operationId, exceeded.policy);
      throw errors.rateLimited(exceeded.policy, resetSeconds);
    }
  };
}
