import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { conditionalRead } from '../http/etag';
import { errors } from '../errors';

export const getProject = defineHandler('getProject', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const project = await store.projects.get(workspaceId, req.params.project_id);
  if (!project) throw errors.projectNotFound(req.params.project_id);
  return conditionalRead(project, req.headers['if-none-match']);
});
