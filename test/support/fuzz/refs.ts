/**
 * A value that exists only in the app a request is sent to (an id it created, a token it issued):
 * generated requests hold a Ref, resolved when sent, so that one generated sequence means the
 * same thing to two apps whose ids differ.
 */
export class Ref {
  constructor(
    readonly kind: RefKind,
    readonly pick: number,
  ) {}
}

export type RefKind =
  | 'project'
  | 'key'
  | 'endpoint'
  | 'delivery'
  | 'event'
  | 'workspace'
  | 'refreshToken'
  | 'apiKey'
  | 'email'
  | 'password'
  | 'etag'
  | 'cursor';

/** Id prefixes of the contract's id patterns, and the pool each one's values come from. */
export const ID_KINDS: Record<string, RefKind> = {
  prj: 'project',
  key: 'key',
  whe: 'endpoint',
  whd: 'delivery',
  evt: 'event',
  ws: 'workspace',
};

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ID_PATTERN = /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/;
/** Any id the service hands out, wherever it appears in a response. */
export const ANY_ID = /\b(prj|key|whe|whd|evt|ws|usr|req|ses|inv)_[0-9A-HJKMNP-TV-Z]{26}\b/g;

/** The kind of values a parameter or property of this name holds, when the name says it. */
export function kindOfName(name: string | undefined): RefKind | undefined {
  switch (name) {
    case 'refresh_token':
      return 'refreshToken';
    case 'email':
      return 'email';
    case 'password':
      return 'password';
    case 'cursor':
      return 'cursor';
    case 'If-Match':
    case 'If-None-Match':
      return 'etag';
    default:
      return undefined;
  }
}

/** Walks a generated value, replacing each Ref with what `resolve` gives for it. */
export function resolveRefs(value: unknown, resolve: (ref: Ref) => string): unknown {
  if (value instanceof Ref) return resolve(value);
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, resolve));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty: a generated `__proto__` member stays a member, as JSON.parse would make it.
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: resolveRefs(v, resolve), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
