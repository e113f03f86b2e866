import { SpecError, type OpenApiDocument } from './document';
import { isScope, type Scope } from './enums';

export const READ_SCOPE_KEY = 'x-read-scope';

/**
 * Who may read which event, from the contract: each event type of the `webhooks:` map names in
 * `x-read-scope` the scope that reads its resource. Events listed or fetched, and webhook
 * subscriptions, honour it, so an event never shows a resource its reader could not read.
 */
export interface EventScopes {
  /** The scope that reads events of `type`; undefined for a type the contract does not know. */
  scopeOf(type: string): Scope | undefined;
  /** The event types a holder of `scopes` may read, or undefined when it may read them all. */
  readable(scopes: readonly Scope[]): string[] | undefined;
  /** The first scope `scopes` lacks to receive `subscription` (an event type, or `*` for all). */
  missingFor(subscription: string, scopes: readonly Scope[]): Scope | undefined;
}

/** Reads `x-read-scope` from every event type; SpecError where one is missing or not a scope. */
export function readEventScopes(doc: OpenApiDocument): EventScopes {
  const byType = new Map<string, Scope>();
  for (const [type, item] of Object.entries((doc.webhooks ?? {}) as Record<string, { post?: Record<string, unknown> }>)) {
    const scope = item.post?.[READ_SCOPE_KEY];
    if (typeof scope !== 'string' || !isScope(scope)) {
      throw new SpecError(`webhooks.${type}.post needs ${READ_SCOPE_KEY} naming a scope, got ${JSON.stringify(scope)}`);
    }
    byType.set(type, scope);
  }
  const all = [...new Set(byType.values())];
  return {
    scopeOf: (type) => byType.get(type),
    readable: (scopes) =>
      all.every((s) => scopes.includes(s)) ? undefined : [...byType].filter(([, s]) => scopes.includes(s)).map(([t]) => t),
    missingFor(subscription, scopes) {
      const needed = subscription === '*' ? all : [byType.get(subscription)].filter((s) => s !== undefined);
      return needed.find((s) => !scopes.includes(s));
    },
  };
}
