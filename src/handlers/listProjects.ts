import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import type { ProjectFilters } from '../store/projects';
import { errors } from '../errors';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/**
 * RFC 3339 -> `YYYY-MM-DDTHH:mm:ss.sssZ`, the stored format. The validator's date-time check lets
 * through values Date cannot parse (month 13, day 39, a leap second `23:59:60`) or that normalize
 * past year 9999 (`+010000-...`, which would compare wrongly as text): those are a 400, not a 500.
 */
function utc(instant: string | undefined, param: string): string | undefined {
  if (instant === undefined) return undefined;
  const time = new Date(instant).getTime();
  const iso = Number.isNaN(time) ? '' : new Date(time).toISOString();
  if (!/^\d{4}-/.test(iso)) {
    throw errors.validationFailed([
      {
        pointer: `/query/${param}`,
        code: 'format',
        message: 'must be an instant from 0000-01-01 to 9999-12-31 UTC, without a leap second',
      },
    ]);
  }
  return iso;
}

export const listProjects: Handler<'listProjects'> = async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const q = req.query;
  const limit = Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const filters: ProjectFilters = {
    name: q.name,
    slug: q.slug,
    createdAfter: utc(q.created_after, 'created_after'),
    createdBefore: utc(q.created_before, 'created_before'),
  };
  // The cursor is bound to the workspace and the filters, so it cannot be replayed elsewhere.
  const scope = JSON.stringify(['projects', workspaceId, filters.name, filters.slug, filters.createdAfter, filters.createdBefore]);
  let after;
  if (q.cursor !== undefined) {
    const [created_at, id] = cursors.decode(q.cursor, scope);
    after = { created_at, id };
  }
  const rows = store.projects.list(workspaceId, filters, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? cursors.encode([last.created_at, last.id], scope) : null;
  const headers: Record<string, string> = {};
  if (nextCursor) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...q, limit: String(limit), cursor: nextCursor })) {
      if (v !== undefined) params.set(k, String(v));
    }
    headers.Link = `<${config.publicUrl}/v1/projects?${params}>; rel="next"`;
  }
  return {
    status: 200,
    body: { data: page, meta: { limit, has_more: nextCursor !== null, next_cursor: nextCursor } },
    headers,
  };
};
