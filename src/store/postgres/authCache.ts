import pg from 'pg';
import { query, type Queryable } from './db';

// Why a cache, and not the session check riding with each query: every authenticated request
// resolved its principal with a statement of its own (session + membership, or the API key), which
// was half the PostgreSQL work of a read. Folding it into each read would put authentication into
// every store query; instead the rows are remembered here and every change that could make one
// wrong (logout, revocation, a role change or removal, a key's revocation or rotation) is sent on
// NOTIFY in the same transaction, which PostgreSQL delivers to every instance's listener at commit.
// The instance that makes the change also forgets at once. Rules that keep this correct:
// - Nothing is remembered unless the listener is connected: while it is not (not yet, or lost,
//   where notifications could be missed) every lookup reads the database, and a lost listener
//   empties the cache.
// - A row read while any invalidation arrived (or while the listener connected) is not kept: it
//   may predate the change the message announced.
// - Entries expire after TTL_MS anyway, a bound for changes made outside the store (by hand in SQL).
// - Only reads on the pool fill it: a transaction's reads may see its own uncommitted changes.

/** The NOTIFY channel; payloads are tags: `s:<session id>`, `u:<user id>`, `k:<API key id>`. */
export const AUTH_CHANNEL = 'cloud_api_auth';
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const RETRY_MS = 1_000;

export const sessionTag = (id: string) => `s:${id}`;
export const userTag = (id: string) => `u:${id}`;
export const apiKeyTag = (id: string) => `k:${id}`;

export interface AuthCache {
  /** `key`'s value while fresh; otherwise `load()`'s, kept (under `tags`) when safe to keep. */
  through<T extends object>(db: Queryable, key: string, load: () => Promise<T | undefined>, tags: (value: T) => string[]): Promise<T | undefined>;
  /** Forgets here and now what carries `tag`. */
  forget(tag: string): void;
  /** Forgets `tag` here, and on every instance when `db`'s transaction (or statement) commits. */
  changed(db: Queryable, tag: string): Promise<void>;
  close(): Promise<void>;
}

/** A cache of authentication rows with a LISTEN connection of its own (opened on first use) on `config`. */
export function createAuthCache(config: pg.ClientConfig): AuthCache {
  const entries = new Map<string, { value: object; tags: string[]; until: number }>();
  // Bumped by every invalidation and every (re)connection: a read that saw it change is not kept.
  let epoch = 0;
  let listener: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let retryAt = 0;
  let closed = false;

  const forget = (tag: string) => {
    epoch++;
    for (const [key, entry] of entries) if (entry.tags.includes(tag)) entries.delete(key);
  };
  const lost = (client: pg.Client) => {
    if (listener !== client) return;
    listener = undefined;
    epoch++;
    entries.clear();
    retryAt = Date.now() + RETRY_MS;
    client.end().catch(() => undefined);
  };
  const connect = async () => {
    const client = new pg.Client(config);
    client.on('notification', (n) => {
      if (n.channel === AUTH_CHANNEL && n.payload) forget(n.payload);
    });
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
    } catch {
      retryAt = Date.now() + RETRY_MS;
      await client.end().catch(() => undefined);
      return;
    }
    if (closed) return void (await client.end().catch(() => undefined));
    epoch++;
    listener = client;
  };
  const listening = () => {
    if (listener) return true;
    if (!connecting && !closed && Date.now() >= retryAt) connecting = connect().finally(() => (connecting = undefined));
    return false;
  };

  return {
    async through<T extends object>(db: Queryable, key: string, load: () => Promise<T | undefined>, tags: (value: T) => string[]) {
      const onPool = !('release' in db);
      if (onPool && listening()) {
        const hit = entries.get(key);
        if (hit && Date.now() < hit.until) return hit.value as T;
      }
      const started = epoch;
      const value = await load();
      if (value !== undefined && onPool && listener && epoch === started) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
        entries.set(key, { value, tags: tags(value), until: Date.now() + TTL_MS });
      }
      return value;
    },
    forget,
    async changed(db, tag) {
      await query(db, 'SELECT pg_notify($1, $2)', [AUTH_CHANNEL, tag]);
      forget(tag);
    },
    async close() {
      closed = true;
      await connecting;
      const client = listener;
      listener = undefined;
      entries.clear();
      await client?.end().catch(() => undefined);
    },
  };
}
