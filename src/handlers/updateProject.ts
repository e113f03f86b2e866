import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { etagOf, requireMatch } from '../http/etag';
import { errors } from '../errors';
import { previousAttributes } from '../pipeline/events';

const FIELDS = ['name', 'slug', 'description'] as const;

// Runs in one transaction (the operation takes If-Match), so no writer slips in between the read,
// the comparison and the write; its event commits with it.
export const updateProject = defineHandler('updateProject', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const { name, slug, description } = req.body;
  const current = await store.projects.getForUpdate(workspaceId, id);
  if (!current) throw errors.projectNotFound(id);
  requireMatch(req.headers['if-match'], current, 'project');
  let project = current;
  if (name !== undefined || slug !== undefined || description !== undefined) {
    project = (await store.projects.update(workspaceId, id, { name, slug, description })) ?? current;
    const previous = previousAttributes(current, project, FIELDS);
    // A PATCH that sets what is already there changes nothing: no event.
    if (previous) await events.emit('project.updated', project, { ...previous, updated_at: current.updated_at });
  }
  return { status: 200, body: { data: project }, headers: { ETag: etagOf(project) } };
});
