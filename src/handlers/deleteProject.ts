import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { etagMatches, etagOf } from '../projects/etag';
import { errors } from '../errors';

export const deleteProject: Handler<'deleteProject'> = async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const ifMatch = req.headers['if-match'];
  const deleted = await store.transaction(async (tx) => {
    if (ifMatch) {
      const current = await tx.projects.getForUpdate(workspaceId, id);
      if (current && !etagMatches(ifMatch, etagOf(current), false)) throw errors.preconditionFailed(etagOf(current));
    }
    return tx.projects.delete(workspaceId, id);
  });
  if (!deleted) throw errors.projectNotFound(id);
  return { status: 204 };
};
