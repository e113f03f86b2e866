import { defineHandler, requirePrincipal } from '../http/operation';
import { etagMatches, etagOf } from '../projects/etag';
import { errors } from '../errors';

// Runs in one transaction (the operation takes If-Match): the comparison holds until the delete.
export const deleteProject = defineHandler('deleteProject', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const ifMatch = req.headers['if-match'];
  if (ifMatch) {
    const current = await store.projects.getForUpdate(workspaceId, id);
    if (current && !etagMatches(ifMatch, etagOf(current), false)) throw errors.preconditionFailed(etagOf(current));
  }
  if (!(await store.projects.delete(workspaceId, id))) throw errors.projectNotFound(id);
  return { status: 204 };
});
