import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const deleteProject: Handler<'deleteProject'> = async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  if (!store.projects.delete(workspaceId, req.params.project_id)) throw errors.projectNotFound(req.params.project_id);
  return { status: 204 };
};
