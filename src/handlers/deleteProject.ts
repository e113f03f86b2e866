import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { etagMatches, etagOf } from '../projects/etag';
import { errors } from '../errors';

export const deleteProject: Handler<'deleteProject'> = (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const ifMatch = req.headers['if-match'];
  const deleted = store.transaction(() => {
    if (ifMatch) {
      const current = store.projects.get(workspaceId, id);
      if (current && !etagMatches(ifMatch, etagOf(current), false)) throw errors.preconditionFailed(etagOf(current));
    }
    return store.projects.delete(workspaceId, id);
  }, 'immediate');
  if (!deleted) throw errors.projectNotFound(id);
  return { status: 204 };
};
