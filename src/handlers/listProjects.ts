import { defineHandler, requirePrincipal } from '../pipeline/handler';
import type { ProjectFilters } from '../store/ports';
import { queryInstant } from '../http/instants';
import { keysetPage } from '../http/pagination';

export const listProjects = defineHandler('listProjects', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const q = req.query;
  const filters: ProjectFilters = {
    name: q.name,
    slug: q.slug,
    createdAfter: queryInstant(q.created_after, 'created_after'),
    createdBefore: queryInstant(q.created_before, 'created_before'),
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
