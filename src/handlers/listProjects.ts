import { defineHandler, requirePrincipal } from '../http/operation';
import type { ProjectFilters } from '../store/projects';
import { storedInstant } from '../http/instants';
import { keysetPage } from '../http/pagination';

const utc = (instant: string | undefined, param: string) =>
  instant === undefined ? undefined : storedInstant(instant, `/query/${param}`);

export const listProjects = defineHandler('listProjects', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const q = req.query;
  const filters: ProjectFilters = {
    name: q.name,
    slug: q.slug,
    createdAfter: utc(q.created_after, 'created_after'),
    createdBefore: utc(q.created_before, 'created_before'),
  };
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/projects',
    query: q,
    // The cursor is bound to the workspace and the filters, so it cannot be replayed elsewhere.
    scope: ['projects', workspaceId, filters.name, filters.slug, filters.createdAfter, filters.createdBefore],
    fetch: (after, limit) => store.projects.list(workspaceId, filters, after, limit),
  });
  return { status: 200, ...page };
});
