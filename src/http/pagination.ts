import type { components } from '../../generated/openapi';
import type { CursorCodec } from './cursor';
import type { KeysetPosition as Position } from '../store/ports';

export type PageMeta = components['schemas']['PageMeta'];

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export interface PageRequest<T> {
  cursors: CursorCodec;
  publicUrl: string;
  /** The list's path, for the `Link` header. */
  path: string;
  /** The validated query, repeated in the `Link` header. */
  query: { limit?: number; cursor?: string; [name: string]: unknown };
  /** Identifies the list and its filters; a cursor only works with the same scope. */
  scope: unknown[];
  fetch: (after: Position | undefined, limit: number) => Promise<T[]>;
  /** Where an item is in the order; needed for items without `created_at` and `id` (events have `created`). */
  positionOf?: (item: T) => Position;
}

/** One keyset page: limit clamped, cursor checked, `meta` and `Link` built. */
export async function keysetPage<T>(req: PageRequest<T>): Promise<{
  body: { data: T[]; meta: PageMeta };
  headers: Record<string, string>;
}> {
  const limit = Math.min(req.query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const scope = JSON.stringify(req.scope);
  let after: Position | undefined;
  if (req.query.cursor !== undefined) {
    const [created_at, id] = req.cursors.decode(req.query.cursor, scope);
    after = { created_at, id };
  }
  const rows = await req.fetch(after, limit + 1);
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const at = last === undefined ? undefined : (req.positionOf ?? ((item: T) => item as Position))(last);
  const nextCursor = rows.length > limit && at ? req.cursors.encode([at.created_at, at.id], scope) : null;
  const headers: Record<string, string> = {};
  if (nextCursor) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...req.query, limit, cursor: nextCursor })) {
      if (v !== undefined) params.set(k, String(v));
    }
    headers.Link = `<${req.publicUrl}${req.path}?${params}>; rel="next"`;
  }
  return { body: { data, meta: { limit, has_more: nextCursor !== null, next_cursor: nextCursor } }, headers };
}
