import type { Principal } from './principal';
import type { EventScopes } from '../contract/eventScopes';
import { errors } from '../errors';

/**
 * An endpoint receives its events' resources, so subscribing to a type, or pointing a
 * subscription at another URL, needs the scope that reads that type (`*`: every such scope).
 * Otherwise 403 insufficient_scope naming the first missing scope.
 */
export function requireSubscribable(principal: Principal, subscriptions: readonly string[], eventScopes: EventScopes): void {
  for (const subscription of subscriptions) {
    const missing = eventScopes.missingFor(subscription, principal.scopes);
    if (missing) throw errors.insufficientScope(missing, principal.type);
  }
}
