import Ajv from 'ajv';
import { SpecError, type OpenApiDocument } from './document';
import type { OperationInfo } from './operations';

/**
 * A budget of `limit` requests per `window` seconds, shared by every operation of the `group`,
 * counted per caller: the API key or user (`principal`, falling back to the client IP when the
 * request carries no valid credential), the client IP (`ip`), the account named in the
 * request body's `email` (`account`, to slow password guessing against one account), or the
 * secret in the body's `token` (`token`, to slow guessing the password that goes with one
 * invitation).
 */
export interface RateLimitPolicy {
  group: string;
  limit: number;
  window: number;
  by: 'principal' | 'ip' | 'account' | 'token';
}

/** The policies counted by a field of the request body, and the field each one reads. */
export const BODY_FIELD_OF = { account: 'email', token: 'token' } as const;
export type BodyFieldPolicy = keyof typeof BODY_FIELD_OF;
export const isBodyFieldPolicy = (by: RateLimitPolicy['by']): by is BodyFieldPolicy => by in BODY_FIELD_OF;

const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['group', 'limit', 'window'],
  properties: {
    group: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    limit: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
    window: { type: 'integer', minimum: 1, maximum: 86_400 },
    by: { enum: ['principal', 'ip', 'account', 'token'] },
  },
};

const EXTENSION_SCHEMA = {
  oneOf: [POLICY_SCHEMA, { type: 'array', minItems: 1, maxItems: 4, items: POLICY_SCHEMA }],
};

export const DEFAULT_KEY = 'x-rate-limit-default';
export const OPERATION_KEY = 'x-rate-limit';

/**
 * Reads every operation's limits from the contract (its own `x-rate-limit`, else the document's
 * `x-rate-limit-default`). Throws SpecError for a malformed extension or a group declared twice
 * with different numbers, so a typo stops the start instead of silently changing a limit.
 */
export function readRateLimits(doc: OpenApiDocument, ops: OperationInfo[]): Map<string, RateLimitPolicy[]> {
  // The schema is the constant above: checking it against JSON Schema's meta-schema (compiled first) is a cost at every start for nothing.
  const validate = new Ajv({ allErrors: true, validateSchema: false }).compile(EXTENSION_SCHEMA);
  const parse = (where: string, value: unknown): RateLimitPolicy[] => {
    if (!validate(value)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      throw new SpecError(`${where} is not a valid rate limit: ${why}`);
    }
    const list = (Array.isArray(value) ? value : [value]) as Omit<RateLimitPolicy, 'by'>[];
    return list.map((p) => ({ by: 'principal', ...p }));
  };
  const fallback = doc[DEFAULT_KEY];
  if (fallback === undefined) throw new SpecError(`${DEFAULT_KEY} is missing at the document root`);
  const defaults = parse(DEFAULT_KEY, fallback);

  const groups = new Map<string, RateLimitPolicy>();
  const result = new Map<string, RateLimitPolicy[]>();
  for (const op of ops) {
    const declared = (doc.paths[op.path][op.method] as Record<string, unknown>)[OPERATION_KEY];
    const policies = declared === undefined ? defaults : parse(`${op.operationId} ${OPERATION_KEY}`, declared);
    for (const p of policies) {
      const seen = groups.get(p.group);
      if (seen && (seen.limit !== p.limit || seen.window !== p.window || seen.by !== p.by)) {
        throw new SpecError(`rate limit group '${p.group}' is declared with different numbers (${op.operationId})`);
      }
      groups.set(p.group, p);
    }
    result.set(op.operationId, policies);
  }
  return result;
}

const per = { principal: 'per API key or user', ip: 'per client IP', account: 'per account (login email)', token: 'per token' };

function seconds(window: number): string {
  if (window % 3600 === 0) return window === 3600 ? 'hour' : `${window / 3600} hours`;
  if (window % 60 === 0) return window === 60 ? 'minute' : `${window / 60} minutes`;
  return window === 1 ? 'second' : `${window} seconds`;
}

/** The sentence added to an operation's description in the served contract. */
export function describeRateLimits(policies: RateLimitPolicy[], sharedWith: (group: string) => string[]): string {
  const parts = policies.map((p) => {
    const others = sharedWith(p.group);
    const shared = others.length ? `, shared with ${others.map((o) => `\`${o}\``).join(', ')}` : '';
    return `${p.limit} requests per ${seconds(p.window)} ${per[p.by]} (group \`${p.group}\`${shared})`;
  });
  return `**Rate limit:** ${parts.join('; and ')}. Over the limit: \`429 rate_limited\` with \`Retry-After\`.`;
}

/** A copy of the contract whose operation descriptions state their limits in words. */
export function withRateLimitDescriptions(doc: OpenApiDocument, ops: (OperationInfo & { limits: RateLimitPolicy[] })[]): OpenApiDocument {
  const copy = structuredClone(doc);
  const members = new Map<string, string[]>();
  for (const op of ops) {
    for (const p of op.limits) members.set(p.group, [...(members.get(p.group) ?? []), op.operationId]);
  }
  for (const op of ops) {
    const target = copy.paths[op.path][op.method] as { description?: string };
    const sentence = describeRateLimits(op.limits, (g) =>
      (members.get(g) ?? []).filter((id) => id !== op.operationId),
    );
    target.description = target.description ? `${target.description.trimEnd()}\n\n${sentence}` : sentence;
  }
  return copy;
}

/** RATE_LIMIT_MULTIPLIER may be a fraction (a test of 429s): a limit rounds to the nearest whole request, never below 1. */
export function scaleLimits(limits: Map<string, RateLimitPolicy[]>, multiplier: number): Map<string, RateLimitPolicy[]> {
  if (multiplier === 1) return limits;
  return new Map([...limits].map(([op, ps]) => [op, ps.map((p) => ({ ...p, limit: Math.max(1, Math.round(p.limit * multiplier)) }))]));
}
