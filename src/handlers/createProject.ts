import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { SlugTaken, type ProjectStore, type Project, type Async } from '../store/ports';
import { deriveSlug, suffixSlug } from '../projects/slug';
import { errors } from '../errors';
import { etagOf } from '../http/etag';

const MAX_SUFFIX = 1000;

async function createWithDerivedSlug(
  projects: Async<ProjectStore>,
  workspaceId: string,
  name: string,
  description: string | null,
): Promise<Project> {
  const base = deriveSlug(name);
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const slug = n === 1 ? base : suffixSlug(base, n);
    if (await projects.slugExists(workspaceId, slug)) continue;
    try {
      return await projects.create(workspaceId, { name, slug, description });
    } catch (err) {
      if (!(err instanceof SlugTaken)) throw err; // lost a race for this slug: try the next
    }
  }
  throw errors.slugTaken(base);
}

export const createProject = defineHandler('createProject', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const { name, slug, description = null } = req.body;
  let project: Project;
  if (slug === undefined) {
    project = await createWithDerivedSlug(store.projects, workspaceId, name, description);
  } else {
    project = await store.projects.create(workspaceId, { name, slug, description });
  }
  await events.emit('project.created', project);
  return { status: 201, body: { data: project }, headers: { Location: `/v1/projects/${project.id}`, ETag: etagOf(project) } };
});
