/** The order every list is paged in (see KeysetPosition), on either engine. */
export const ORDER_NEWEST_FIRST = 'ORDER BY created_at DESC, id DESC';
