import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { etagMatches, etagOf } from '../http/etag';
import { errors } from '../errors';

export const getProject = defineHandler('getProject', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const project = await store.projects.get(workspaceId, req.params.project_id);
  if (!project) throw errors.projectNotFound(req.params.project_id);
  const etag = etagOf(project);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && etagMatches(ifNoneMatch, etag, true)) return { status: 304, headers: { ETag: etag } };
  return { status: 200, body: { data: project }, headers: { ETag: etag } };
});
