/**
 * Lists are paged by keyset on (created_at DESC, id DESC): a page continues strictly after the
 * last item of the previous one, so pages stay stable while rows are added or removed.
 */
export interface KeysetPosition {
  created_at: string;
  id: string;
}

/** The condition "after `@afterCreatedAt`/`@afterId`" in that order, for any table with both columns. */
export const AFTER_POSITION = '(created_at < @afterCreatedAt OR (created_at = @afterCreatedAt AND id < @afterId))';

export const ORDER_NEWEST_FIRST = 'ORDER BY created_at DESC, id DESC';

export const positionParams = (after: KeysetPosition) => ({ afterCreatedAt: after.created_at, afterId: after.id });
