import type { KeysetPosition } from '../ports';

export { ORDER_NEWEST_FIRST } from '../shared/keyset';

/** "After `position`" in (created_at DESC, id DESC) order, as a row comparison the page index serves. */
export function afterPosition(position: KeysetPosition, values: unknown[]): string {
  values.push(position.created_at, position.id);
  return `(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length})`;
}
