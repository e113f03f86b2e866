import { Paginator } from '../pagination.js';
import type { CallOptions, ListProjectsQuery, Project, ProjectCreate, ProjectUpdate, Versioned, WriteOptions } from '../types.js';
import { idempotency, ok, versioned, type Context } from './base.js';

/** `If-Match`: act only on the version with this ETag (`412 precondition_failed` otherwise). */
export interface IfMatch {
  ifMatch?: string;
}

/** Projects of the workspace. Single projects come with their ETag, for `ifMatch` on update and delete. */
export class Projects {
  constructor(private readonly ctx: Context) {}

  /** Newest first; filters combine with AND. Iterate it, or use `.pages()` / `.page()`. */
  list(query: ListProjectsQuery = {}, options?: CallOptions): Paginator<Project> {
    return new Paginator(async (cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return (await ok(this.ctx.api.GET('/projects', { params, fetch: this.ctx.fetch(options) }))).data;
    });
  }

  async create(body: ProjectCreate, options?: WriteOptions): Promise<Versioned<Project>> {
    const params = { header: idempotency(options) };
    return versioned(await ok(this.ctx.api.POST('/projects', { params, body, fetch: this.ctx.fetch(options) })));
  }

  async get(projectId: string, options?: CallOptions): Promise<Versioned<Project>> {
    const params = { path: { project_id: projectId } };
    return versioned(await ok(this.ctx.api.GET('/projects/{project_id}', { params, fetch: this.ctx.fetch(options) })));
  }

  /** JSON merge patch: absent fields stay, `description: null` clears it. */
  async update(projectId: string, body: ProjectUpdate, options?: WriteOptions & IfMatch): Promise<Versioned<Project>> {
    const header = { ...idempotency(options), ...ifMatch(options) };
    const params = { path: { project_id: projectId }, header };
    return versioned(await ok(this.ctx.api.PATCH('/projects/{project_id}', { params, body, fetch: this.ctx.fetch(options) })));
  }

  async delete(projectId: string, options?: CallOptions & IfMatch): Promise<void> {
    const params = { path: { project_id: projectId }, header: ifMatch(options) };
    await ok(this.ctx.api.DELETE('/projects/{project_id}', { params, fetch: this.ctx.fetch(options) }));
  }
}

const ifMatch = (options: IfMatch | undefined) => (options?.ifMatch === undefined ? {} : { 'If-Match': options.ifMatch });
