import type { Statement } from 'better-sqlite3';
import { SlugTaken, type Project, type ProjectStore } from '../ports';
import type { Db } from './db';
import { newId } from '../../ids';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams } from './keyset';

const COLUMNS = 'id, name, slug, description, created_at, updated_at';

type ProjectRow = [string, string, string, string | null, string, string];

// Pages are read as raw rows and built as literals: one object shape for every project, which
// also keeps JSON serialization on V8's fast path; the driver's own row objects cost more.
const toProject = (r: ProjectRow): Project => ({
  id: r[0],
  name: r[1],
  slug: r[2],
  description: r[3],
  created_at: r[4],
  updated_at: r[5],
});

// Each optional condition is a fixed fragment; the statement for a combination is prepared once.
const CONDITIONS = [
  { key: 'name', sql: 'instr(lower(name), lower(@name)) > 0' },
  { key: 'slug', sql: 'slug = @slug' },
  { key: 'createdAfter', sql: 'created_at > @createdAfter' },
  { key: 'createdBefore', sql: 'created_at < @createdBefore' },
  { key: 'after', sql: AFTER_POSITION },
] as const;

function isSlugConflict(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' && /projects\.slug/.test(e.message ?? '');
}

export function createProjectStore(db: Db): ProjectStore {
  const insert = db.prepare(`INSERT INTO projects (id, workspace_id, name, slug, description, created_at, updated_at)
    VALUES (@id, @workspace_id, @name, @slug, @description, @created_at, @updated_at)`);
  const select = db.prepare(`SELECT ${COLUMNS} FROM projects WHERE workspace_id = ? AND id = ?`);
  const slugExists = db.prepare('SELECT 1 FROM projects WHERE workspace_id = ? AND slug = ?').pluck();
  const update = db.prepare(`UPDATE projects SET
      name = coalesce(@name, name),
      slug = coalesce(@slug, slug),
      description = CASE WHEN @setDescription THEN @description ELSE description END,
      updated_at = @updated_at
    WHERE workspace_id = @workspace_id AND id = @id RETURNING ${COLUMNS}`);
  const remove = db.prepare('DELETE FROM projects WHERE workspace_id = ? AND id = ?');
  const listStatements = new Map<number, Statement>();

  function listStatement(mask: number): Statement {
    let stmt = listStatements.get(mask);
    if (!stmt) {
      const where = ['workspace_id = @workspaceId', ...CONDITIONS.filter((_, i) => mask & (1 << i)).map((c) => c.sql)];
      stmt = db.prepare(
        `SELECT ${COLUMNS} FROM projects WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT @limit`,
      ).raw();
      listStatements.set(mask, stmt);
    }
    return stmt;
  }

  return {
    create(workspaceId, p) {
      const now = new Date().toISOString();
      const project: Project = { id: newId('prj'), ...p, created_at: now, updated_at: now };
      try {
        insert.run({ ...project, workspace_id: workspaceId });
      } catch (err) {
        if (isSlugConflict(err)) throw new SlugTaken(p.slug);
        throw err;
      }
      return project;
    },
    get: (workspaceId, id) => select.get(workspaceId, id) as Project | undefined,
    // BEGIN IMMEDIATE already holds SQLite's one write lock.
    getForUpdate: (workspaceId, id) => select.get(workspaceId, id) as Project | undefined,
    slugExists: (workspaceId, slug) => slugExists.get(workspaceId, slug) === 1,
    update(workspaceId, id, changes) {
      try {
        return update.get({
          workspace_id: workspaceId,
          id,
          name: changes.name ?? null,
          slug: changes.slug ?? null,
          setDescription: changes.description !== undefined ? 1 : 0,
          description: changes.description ?? null,
          updated_at: new Date().toISOString(),
        }) as Project | undefined;
      } catch (err) {
        if (isSlugConflict(err)) throw new SlugTaken(changes.slug ?? '');
        throw err;
      }
    },
    delete: (workspaceId, id) => remove.run(workspaceId, id).changes === 1,
    list(workspaceId, filters, after, limit) {
      const params: Record<string, string | number> = { workspaceId, limit };
      let mask = 0;
      CONDITIONS.forEach((c, i) => {
        if (c.key === 'after') {
          if (!after) return;
          Object.assign(params, positionParams(after));
        } else {
          const value = filters[c.key];
          if (value === undefined) return;
          params[c.key] = value;
        }
        mask |= 1 << i;
      });
      return (listStatement(mask).all(params) as ProjectRow[]).map(toProject);
    },
  };
}
