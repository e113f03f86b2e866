import { defineHandler, requirePrincipal } from '../http/operation';
import { etagMatches, etagOf } from '../projects/etag';
import { errors } from '../errors';

// Runs in one transaction (the operation takes If-Match), so no writer slips in between the read,
// the comparison and the write.
export const updateProject = defineHandler('updateProject', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const { name, slug, description } = req.body;
  const ifMatch = req.headers['if-match'];
  const current = await store.projects.getForUpdate(workspaceId, id);
  if (!current) throw errors.projectNotFound(id);
  if (ifMatch && !etagMatches(ifMatch, etagOf(current), false)) throw errors.preconditionFailed(etagOf(current));
  const project =
    name === undefined && slug === undefined && description === undefined
      ? current
      : await store.projects.update(workspaceId, id, { name, slug, description });
  if (!project) throw errors.projectNotFound(id);
  return { status: 200, body: { data: project }, headers: { ETag: etagOf(project) } };
});
