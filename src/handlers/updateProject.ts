import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import type { Project } from '../store/projects';
import { etagMatches, etagOf } from '../projects/etag';
import { errors } from '../errors';

export const updateProject: Handler<'updateProject'> = async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const { name, slug, description } = req.body;
  const ifMatch = req.headers['if-match'];
  // Read, compare and write in one transaction, so a concurrent writer cannot slip in between.
  const project = await store.transaction(async (tx): Promise<Project | undefined> => {
    const current = await tx.projects.getForUpdate(workspaceId, id);
    if (!current) return undefined;
    if (ifMatch && !etagMatches(ifMatch, etagOf(current), false)) throw errors.preconditionFailed(etagOf(current));
    if (name === undefined && slug === undefined && description === undefined) return current;
    return tx.projects.update(workspaceId, id, { name, slug, description });
  });
  if (!project) throw errors.projectNotFound(id);
  return { status: 200, body: { data: project }, headers: { ETag: etagOf(project) } };
};
