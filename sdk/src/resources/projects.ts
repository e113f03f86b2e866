import type { ApiPromise } from '../apiPromise.js';
import { Paginator } from '../pagination.js';
import type { CallOptions, ListProjectsQuery, Project, ProjectCreate, ProjectUpdate, Versioned, WriteOptions } from '../types.js';
import { body, done, idempotency, versioned, type Context } from './base.js';

/** `If-Match`: act only on the version with this ETag (`412 precondition_failed` otherwise). */
export interface IfMatch {
  ifMatch?: string;
}

/** Projects of the workspace. Single projects come with their ETag, for `ifMatch` on update and delete. */
export class Projects {
  constructor(private readonly ctx: Context) {}

  /** Newest first; filters combine with AND. Iterate it, or use `.pages()` / `.page()`. */
  list(query: ListProjectsQuery = {}, options?: CallOptions): Paginator<Project> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return body(this.ctx.api.GET('/projects', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  create(project: ProjectCreate, options?: WriteOptions): ApiPromise<Versioned<Project>> {
    const params = { header: idempotency(options) };
    return versioned(this.ctx.api.POST('/projects', { params, body: project, fetch: this.ctx.fetch(options) }));
  }

  get(projectId: string, options?: CallOptions): ApiPromise<Versioned<Project>> {
    const params = { path: { project_id: projectId } };
    return versioned(this.ctx.api.GET('/projects/{project_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** JSON merge patch: absent fields stay, `description: null` clears it. */
  update(projectId: string, changes: ProjectUpdate, options?: WriteOptions & IfMatch): ApiPromise<Versioned<Project>> {
    const header = { ...idempotency(options), ...ifMatch(options) };
    const params = { path: { project_id: projectId }, header };
    return versioned(this.ctx.api.PATCH('/projects/{project_id}', { params, body: changes, fetch: this.ctx.fetch(options) }));
  }

  delete(projectId: string, options?: CallOptions & IfMatch): ApiPromise<void> {
    const params = { path: { project_id: projectId }, header: ifMatch(options) };
    return done(this.ctx.api.DELETE('/projects/{project_id}', { params, fetch: this.ctx.fetch(options) }));
  }
}

const ifMatch = (options: IfMatch | undefined) => (options?.ifMatch === undefined ? {} : { 'If-Match': options.ifMatch });
