import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import type { ProjectFilters } from '../store/projects';
import { errors } from '../errors';
import { keysetPage } from '../http/pagination';

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

export const listProjects: Handler<'listProjects'> = (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const q = req.query;
  const filters: ProjectFilters = {
    name: q.name,
    slug: q.slug,
    createdAfter: utc(q.created_after, 'created_after'),
    createdBefore: utc(q.created_before, 'created_before'),
  };
  const page = keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/projects',
    query: q,
    // The cursor is bound to the workspace and the filters, so it cannot be replayed elsewhere.
    scope: ['projects', workspaceId, filters.name, filters.slug, filters.createdAfter, filters.createdBefore],
    fetch: (after, limit) => store.projects.list(workspaceId, filters, after, limit),
  });
  return { status: 200, ...page };
};
