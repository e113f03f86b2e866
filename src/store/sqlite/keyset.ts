import type { KeysetPosition } from '../ports';

export { ORDER_NEWEST_FIRST } from '../shared/keyset';

/** The condition "after `@afterCreatedAt`/`@afterId`" in that order, for any table with both columns. */
export const AFTER_POSITION = '(created_at < @afterCreatedAt OR (created_at = @afterCreatedAt AND id < @afterId))';

export const positionParams = (after: KeysetPosition) => ({ afterCreatedAt: after.created_at, afterId: after.id });
