import { SlugTaken, type Async, type Project, type ProjectStore } from '../ports';
import { query, type Queryable } from './db';
import { newId } from '../../ids';
import { isUniqueViolation, withSavepoint } from './violations';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';

const COLUMNS = 'id, name, slug, description, created_at, updated_at';

export function createPgProjectStore(db: Queryable): Async<ProjectStore> {
  const slugConflict = (err: unknown, slug: string) => {
    if (isUniqueViolation(err, 'projects_slug')) throw new SlugTaken(slug);
    throw err;
  };
  return {
    async create(workspaceId, p) {
      const now = new Date().toISOString();
      const project: Project = { id: newId('prj'), ...p, created_at: now, updated_at: now };
      await withSavepoint(db, () => query(db,
          `INSERT INTO projects (id, workspace_id, name, slug, description, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)`,
          [project.id, workspaceId, p.name, p.slug, p.description, now],
        )).catch((err) => slugConflict(err, p.slug));
      return project;
    },
    get: async (workspaceId, id) =>
      (await query(db, `SELECT ${COLUMNS} FROM projects WHERE workspace_id = $1 AND id = $2`, [workspaceId, id])).rows[0],
    getForUpdate: async (workspaceId, id) =>
      (await query(db, `SELECT ${COLUMNS} FROM projects WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [workspaceId, id])).rows[0],
    slugExists: async (workspaceId, slug) =>
      (await query(db, 'SELECT 1 FROM projects WHERE workspace_id = $1 AND slug = $2', [workspaceId, slug])).rowCount === 1,
    async update(workspaceId, id, changes) {
      const result = await withSavepoint(db, () => query(db,
          `UPDATE projects SET
             name = coalesce($3, name),
             slug = coalesce($4, slug),
             description = CASE WHEN $5 THEN $6 ELSE description END,
             updated_at = $7
           WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
          [
            workspaceId,
            id,
            changes.name ?? null,
            changes.slug ?? null,
            changes.description !== undefined,
            changes.description ?? null,
            new Date().toISOString(),
          ],
        )).catch((err) => slugConflict(err, changes.slug ?? ''));
      return result.rows[0];
    },
    delete: async (workspaceId, id) =>
      (await query(db, 'DELETE FROM projects WHERE workspace_id = $1 AND id = $2', [workspaceId, id])).rowCount === 1,
    async list(workspaceId, filters, after, limit) {
      const values: unknown[] = [workspaceId];
      const where = ['workspace_id = $1'];
      const param = (v: unknown) => `$${values.push(v)}`;
      // strpos on lower(): a plain substring, where LIKE would treat % and _ in the filter as wildcards.
      if (filters.name !== undefined) where.push(`strpos(lower(name), lower(${param(filters.name)})) > 0`);
      if (filters.slug !== undefined) where.push(`slug = ${param(filters.slug)}`);
      if (filters.createdAfter !== undefined) where.push(`created_at > ${param(filters.createdAfter)}::timestamptz`);
      if (filters.createdBefore !== undefined) where.push(`created_at < ${param(filters.createdBefore)}::timestamptz`);
      if (after) where.push(afterPosition(after, values));
      const text = `SELECT ${COLUMNS} FROM projects WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT ${param(limit)}`;
      return (await query(db, text, values)).rows as Project[];
    },
  };
}
