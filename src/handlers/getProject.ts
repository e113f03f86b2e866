import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const getProject: Handler<'getProject'> = async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const project = store.projects.get(workspaceId, req.params.project_id);
  if (!project) throw errors.projectNotFound(req.params.project_id);
  return { status: 200, body: { data: project } };
};
