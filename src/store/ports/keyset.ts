/**
 * Lists are paged by keyset on (created_at DESC, id DESC): a page continues strictly after the
 * last item of the previous one, so pages stay stable while rows are added or removed.
 */
export interface KeysetPosition {
  created_at: string;
  id: string;
}
