import { context, SpanKind, trace, type Attributes, type Context, type Tracer } from '@opentelemetry/api';
import { ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_TEXT, ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import type { Pool, PoolClient } from 'pg';
import type { Db } from '../../store/sqlite/db';
import { fail, settle } from './spans';

/** A statement's span: named `OPERATION table` from its text, which has placeholders, never values. */
interface Statement {
  name: string;
  attributes: Attributes;
}

const OPERATION = /^\s*([A-Za-z]+)/;
const MAIN_AFTER_WITH = /\)\s*(SELECT|INSERT|UPDATE|DELETE)\b/gi;
const TABLE = /\b(?:FROM|INTO|UPDATE|JOIN)\s+"?([A-Za-z_][\w.]*)"?/i;

/** What a statement's text says about it (the texts are a fixed set, so each is read once). */
function describer(system: 'sqlite' | 'postgresql'): (text: string) => Statement {
  const seen = new Map<string, Statement>();
  return (text) => {
    let found = seen.get(text);
    if (found) return found;
    let operation = OPERATION.exec(text)?.[1].toUpperCase() ?? 'QUERY';
    if (operation === 'WITH') operation = [...text.matchAll(MAIN_AFTER_WITH)].at(-1)?.[1].toUpperCase() ?? 'WITH';
    const table = TABLE.exec(text)?.[1];
    // `db.system` is the name the issue and most collectors still use; `db.system.name` the stable one.
    const attributes: Attributes = { 'db.system': system, [ATTR_DB_SYSTEM_NAME]: system, [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_QUERY_TEXT]: text };
    if (table) attributes[ATTR_DB_COLLECTION_NAME] = table;
    found = { name: table ? `${operation} ${table}` : operation, attributes };
    seen.set(text, found);
    return found;
  };
}

/**
 * The active context when a recording span is in it. Statements outside any span (start-up, the
 * worker's polling) are not traced, nor those of a request the sampler left out: their spans would
 * be dropped anyway, and creating them is most of what tracing costs.
 */
export function recording(): Context | undefined {
  const active = context.active();
  return trace.getSpan(active)?.isRecording() ? active : undefined;
}

function inSpan<T>(tracer: Tracer, statement: Statement, call: () => T): T {
  const parent = recording();
  if (!parent) return call();
  const span = tracer.startSpan(statement.name, { kind: SpanKind.CLIENT, attributes: statement.attributes }, parent);
  try {
    return call();
  } catch (err) {
    fail(span, err);
    throw err;
  } finally {
    span.end();
  }
}

const RUNS = new Set<string | symbol>(['run', 'get', 'all', 'iterate']);

/**
 * Each statement prepared on `db` from now on, and each `exec`, runs in a span. A statement is
 * wrapped in a Proxy whose run/get/all/iterate are traced, and whose modifiers (`pluck()`, `raw()`)
 * return the proxy again, as the statement returns itself.
 */
export function instrumentSqlite(tracer: Tracer, db: Db): void {
  const describe = describer('sqlite');
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = describe(source);
    const target = prepare(source);
    // Each method's wrapper is made once per statement: a statement runs on every request.
    const wrappers = new Map<string | symbol, (...args: unknown[]) => unknown>();
    const proxy: typeof target = new Proxy(target, {
      get(stmt, prop) {
        const value = Reflect.get(stmt, prop, stmt);
        if (typeof value !== 'function') return value;
        let wrapper = wrappers.get(prop);
        if (!wrapper) {
          wrapper = RUNS.has(prop)
            ? (...args) => inSpan(tracer, statement, () => value.apply(stmt, args))
            : (...args) => {
                const out = value.apply(stmt, args);
                return out === stmt ? proxy : out;
              };
          wrappers.set(prop, wrapper);
        }
        return wrapper;
      },
    });
    return proxy;
  }) as typeof db.prepare;
  const exec = db.exec.bind(db);
  db.exec = ((source: string) => {
    inSpan(tracer, describe(source), () => exec(source));
    return db;
  }) as typeof db.exec;
}

type Query = (...args: unknown[]) => unknown;

/**
 * Each query on the pool's connections runs in a span. pg-pool hands a waiting caller its client
 * from inside the callback of whoever released it; the connect callback is bound to the caller's
 * context, so a query is the child of its own request, not of the releasing one.
 */
export function instrumentPg(tracer: Tracer, pool: Pool): void {
  const describe = describer('postgresql');
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { connect: Query }).connect = (...args) => {
    const last = args.length - 1;
    if (typeof args[last] === 'function') args[last] = context.bind(context.active(), args[last] as Query);
    return connect(...args);
  };
  pool.on('connect', (client: PoolClient) => {
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args) => {
      const [config] = args;
      const text = typeof config === 'string' ? config : (config as { text?: unknown; submit?: unknown } | undefined)?.text;
      const parent = recording();
      if (typeof text !== 'string' || !parent || typeof (config as { submit?: unknown }).submit === 'function') return query(...args);
      const statement = describe(text);
      const span = tracer.startSpan(statement.name, { kind: SpanKind.CLIENT, attributes: statement.attributes }, parent);
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (err: unknown, result: unknown) => {
          if (err) fail(span, err);
          span.end();
          callback(err, result);
        };
        return query(...args);
      }
      return settle(span, query(...args) as Promise<unknown>);
    };
  });
}
