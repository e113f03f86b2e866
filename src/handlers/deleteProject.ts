import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { requireMatch } from '../http/etag';
import { errors } from '../errors';

// Runs in one transaction (the operation takes If-Match): the comparison holds until the delete,
// and the event carries the project as it was.
export const deleteProject = defineHandler('deleteProject', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const current = await store.projects.getForUpdate(workspaceId, id);
  if (!current) throw errors.projectNotFound(id);
  requireMatch(req.headers['if-match'], current, 'project');
  if (!(await store.projects.delete(workspaceId, id))) throw errors.projectNotFound(id);
  await events.emit('project.deleted', current);
  return { status: 204 };
});
