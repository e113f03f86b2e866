import type { components } from '../../../generated/openapi';
import type { KeysetPosition } from './keyset';

export type Project = components['schemas']['Project'];

export interface ProjectFilters {
  /** Case-insensitive substring of the name. */
  name?: string;
  slug?: string;
  /** Exclusive bounds, RFC 3339 UTC with milliseconds. */
  createdAfter?: string;
  createdBefore?: string;
}

export interface NewProject {
  name: string;
  slug: string;
  description: string | null;
}

export type ProjectChanges = Partial<NewProject>;

export interface ProjectStore {
  /** Throws SlugTaken when the workspace already has the slug. */
  create(workspaceId: string, project: NewProject): Project;
  get(workspaceId: string, id: string): Project | undefined;
  /** Inside a transaction: `get`, and no other transaction may change the row until this one ends. */
  getForUpdate(workspaceId: string, id: string): Project | undefined;
  slugExists(workspaceId: string, slug: string): boolean;
  /** Throws SlugTaken; undefined when there is no such project. */
  update(workspaceId: string, id: string, changes: ProjectChanges): Project | undefined;
  delete(workspaceId: string, id: string): boolean;
  /** Up to `limit` projects after `after`, newest first. */
  list(workspaceId: string, filters: ProjectFilters, after: KeysetPosition | undefined, limit: number): Project[];
}
