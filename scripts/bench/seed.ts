// Seeding for scripts/bench.ts, straight into the service's database file (the server is not
// running yet). Users and the small workspaces go through the store, as the operator CLI does; the
// million-row workspace is bulk-inserted with one prepared INSERT in batched transactions, which
// is the only SQL here (none of it belongs in src/).
import { openDatabase, type Db } from '../../src/store/sqlite/db';
import { createStore, type Store } from '../../src/store/sqlite';
import { createAsyncSqliteStore } from '../../src/store/sqlite/async';
import { openPgStore } from '../../src/store/postgres';
import type { AsyncStore } from '../../src/store/ports';
import { createUserInWorkspace, type CreatedUser } from '../../src/identity/users';
import { newId } from '../../src/ids';
import { median } from './stats';

export interface SeedUser {
  email: string;
  password: string;
  workspace: string;
}

export interface Seeded {
  users: Record<string, CreatedUser>;
  /** Rows the deep workspace holds and how long the bulk insert took. */
  deep: { rows: number; seconds: number };
  /** Direct SQLite timings at `depth` in the deep workspace, for contrast with the HTTP figures. */
  sqlite: { depth: number; keysetMs: number; offsetMs: number };
}

export interface SeedPlan {
  databasePath: string;
  users: SeedUser[];
  passwordHashCost: number;
  /** Projects created through the store in this workspace (by name). */
  small: { workspace: string; projects: number };
  /** Projects bulk-inserted in this workspace (by name). */
  deep: { workspace: string; projects: number; depth: number };
}

const BATCH = 50_000;

/** Bulk insert: ids and created_at 1 ms apart in the past, so keyset order is insertion order. */
function bulkInsert(db: Db, workspaceId: string, count: number): { first: number } {
  const insert = db.prepare(`INSERT INTO projects (id, workspace_id, name, slug, description, created_at, updated_at)
    VALUES (?, ?, ?, ?, NULL, ?, ?)`);
  const first = Date.now() - 7 * 86_400_000 - count;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const t = first + i;
      const at = new Date(t).toISOString();
      insert.run(newId('prj', t), workspaceId, `Deep project ${i}`, `deep-${i}`, at, at);
    }
  });
  for (let from = 0; from < count; from += BATCH) batch(from, Math.min(count, from + BATCH));
  return { first };
}

/** Median of `n` runs of `fn`, in milliseconds. */
function time(n: number, fn: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(runs);
}

/** The users (each owner of its workspace) and the measured workspace's projects, through the store of either engine. */
async function seedAccounts(store: AsyncStore, plan: Pick<SeedPlan, 'users' | 'passwordHashCost'>): Promise<Record<string, CreatedUser>> {
  const users: Record<string, CreatedUser> = {};
  for (const u of plan.users) {
    users[u.email] = await createUserInWorkspace(store, {
      email: u.email,
      password: u.password,
      workspace: u.workspace,
      role: 'owner',
      passwordHashCost: plan.passwordHashCost,
    });
  }
  return users;
}

async function seedProjects(store: AsyncStore, workspaceId: string, count: number): Promise<void> {
  await store.transaction(async (tx) => {
    for (let i = 1; i <= count; i++) {
      await tx.projects.create(workspaceId, {
        name: `Project ${String(i).padStart(4, '0')}`,
        slug: `project-${i}`,
        description: i % 2 ? `Seeded project number ${i} for the benchmark.` : null,
      });
    }
  });
}

async function workspaceId(store: AsyncStore, name: string): Promise<string> {
  const ws = await store.identity.findWorkspaceByName(name);
  if (!ws) throw new Error(`seed: no workspace ${name}`);
  return ws.id;
}

/** The same users and measured projects in PostgreSQL (the schema `url` puts first in the search path); no deep workspace. */
export async function seedPostgres(url: string, plan: Pick<SeedPlan, 'users' | 'passwordHashCost' | 'small'>): Promise<void> {
  const store = await openPgStore(url, { max: 2 });
  try {
    await seedAccounts(store, plan);
    await seedProjects(store, await workspaceId(store, plan.small.workspace), plan.small.projects);
  } finally {
    await store.close();
  }
}

export async function seed(plan: SeedPlan): Promise<Seeded> {
  const db = openDatabase(plan.databasePath);
  const store: Store = createStore(db);
  const asyncStore = createAsyncSqliteStore(db, store);
  try {
    const users = await seedAccounts(asyncStore, plan);

    // The deep workspace first: its ids carry past timestamps and newId() is monotonic per process.
    const deepWs = await workspaceId(asyncStore, plan.deep.workspace);
    const t0 = process.hrtime.bigint();
    const { first } = bulkInsert(db, deepWs, plan.deep.projects);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    db.pragma('optimize');
    await seedProjects(asyncStore, await workspaceId(asyncStore, plan.small.workspace), plan.small.projects);

    // Contrast, inside SQLite: the page after `depth` rows by keyset (what the store does) and by
    // OFFSET (what it must never do). Newest first, so row `depth` from the top is index count-depth.
    const depth = Math.min(plan.deep.depth, plan.deep.projects - 1);
    const row = db
      .prepare('SELECT created_at, id FROM projects WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?')
      .get(deepWs, depth - 1) as { created_at: string; id: string } | undefined;
    if (!row || Date.parse(row.created_at) !== first + plan.deep.projects - depth) throw new Error('seed: unexpected deep order');
    const keysetMs = time(21, () => store.projects.list(deepWs, {}, row, 21));
    const offset = db.prepare(
      'SELECT id, name, slug, description, created_at, updated_at FROM projects WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT 21 OFFSET ?',
    );
    const offsetMs = time(5, () => offset.all(deepWs, depth));
    return { users, deep: { rows: plan.deep.projects, seconds }, sqlite: { depth, keysetMs, offsetMs } };
  } finally {
    store.close();
  }
}
