import type { Handler } from '../http/operation';
import { requirePrincipal } from '../http/operation';
import { SlugTakenError } from '../store/projects';
import { errors } from '../errors';

export const updateProject: Handler<'updateProject'> = async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.project_id;
  const { name, slug, description } = req.body;
  let project;
  if (name === undefined && slug === undefined && description === undefined) {
    project = store.projects.get(workspaceId, id);
  } else {
    try {
      project = store.projects.update(workspaceId, id, { name, slug, description });
    } catch (err) {
      if (err instanceof SlugTakenError) throw errors.slugTaken(err.slug);
      throw err;
    }
  }
  if (!project) throw errors.projectNotFound(id);
  return { status: 200, body: { data: project } };
};
