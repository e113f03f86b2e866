import { openDatabase, readMigrations, type Db } from './db';
import { createIdentityStore, type IdentityStore } from './identity';
import { createSessionStore, type SessionStore } from './sessions';
import { createProjectStore, type ProjectStore } from './projects';
import { createApiKeyStore, type ApiKeyStore } from './apiKeys';

/** Everything handlers may persist, behind per-aggregate interfaces; no SQL leaves this folder. */
export interface Store {
  identity: IdentityStore;
  sessions: SessionStore;
  projects: ProjectStore;
  apiKeys: ApiKeyStore;
  /** Runs `fn` atomically. */
  transaction<T>(fn: () => T): T;
  /** Database reachable and fully migrated. */
  isReady(): boolean;
  close(): void;
}

export function createStore(db: Db): Store {
  const latest = readMigrations().at(-1)?.version ?? 0;
  const currentVersion = db.prepare('SELECT max(version) FROM schema_migrations').pluck();
  return {
    identity: createIdentityStore(db),
    sessions: createSessionStore(db),
    projects: createProjectStore(db),
    apiKeys: createApiKeyStore(db),
    transaction: (fn) => db.transaction(fn)(),
    isReady() {
      try {
        return currentVersion.get() === latest;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}

export function openStore(path: string): Store {
  return createStore(openDatabase(path));
}
